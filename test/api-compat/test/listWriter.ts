/**
 * Writes the lists of differences (`differences.ts`, `typeDifferences.ts`) the way prettier formats them, so that an
 * update leaves them formatted.
 *
 * @module
 */

/**
 * `export const <name>: Record<string, Record<string, string>> = { '<entry>': { <key>: <value expression>, … }, … };`
 * with prettier's layout (4 spaces, no trailing commas, a property too long for 120 columns broken after its colon
 * unless its key is short).
 */
export function writeRecordOfRecords(
    name: string,
    entries: ReadonlyArray<readonly [entry: string, properties: ReadonlyArray<readonly [key: string, value: string]>]>
): string {
    const blocks = entries.map(([entry, properties]) => {
        if (properties.length === 0) return `    '${entry}': {}`;
        const lines = properties.map(([key, value], index) => {
            const comma = index === properties.length - 1 ? '' : ',';
            const line = `        ${key}: ${value}${comma}`;
            // prettier keeps a key shorter than tabWidth + 3 on the value's line.
            return line.length <= 120 || key.length < 7 ? line : `        ${key}:\n            ${value}${comma}`;
        });
        return `    '${entry}': {\n${lines.join('\n')}\n    }`;
    });
    return `export const ${name}: Record<string, Record<string, string>> = {\n${blocks.join(',\n')}\n};\n`;
}

/** A string literal as prettier writes it: single quotes unless double quotes need fewer escapes. */
export function quote(text: string): string {
    const singles = text.split("'").length - 1;
    const doubles = text.split('"').length - 1;
    const mark = doubles < singles ? '"' : "'";
    return mark + text.replaceAll('\\', '\\\\').replaceAll(mark, `\\${mark}`) + mark;
}
