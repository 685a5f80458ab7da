/**
 * Readable messages for zod validation failures. `zod/mini` ships without locales, so its own messages are
 * generic; this formatter names the path and what was expected instead, without configuring zod globally.
 *
 * @module
 */
import type * as z from 'zod/mini';

/** Formats at most the first few issues of a zod error as `path: problem; …`. */
export function formatValidationError(error: z.core.$ZodError, maxIssues = 5): string {
    const parts: string[] = [];
    for (const issue of error.issues.slice(0, maxIssues)) {
        parts.push(`${formatPath(issue.path)}: ${describeIssue(issue)}`);
    }
    if (error.issues.length > maxIssues) parts.push(`and ${error.issues.length - maxIssues} more`);
    return parts.join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
    if (path.length === 0) return '(root)';
    let out = '';
    for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
    return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case 'invalid_type':
            return `expected ${issue.expected}`;
        case 'invalid_value':
            return `expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`;
        case 'too_small':
            return `must be >= ${String(issue.minimum)}`;
        case 'too_big':
            return `must be <= ${String(issue.maximum)}`;
        case 'invalid_union':
            return 'does not match any allowed shape';
        case 'unrecognized_keys':
            return `unrecognized keys ${issue.keys.join(', ')}`;
        default:
            return issue.message && issue.message !== 'Invalid input' ? issue.message : `invalid (${issue.code})`;
    }
}
