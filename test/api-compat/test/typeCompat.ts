/**
 * The type-level half of the api-compat check: for every name an official entry and ours both export, whether ours
 * can be used where theirs is, read with the TypeScript checker (`isTypeAssignableTo`) over one program holding the
 * official declarations and our sources.
 *
 * - A function or constant: `typeof ours` is assignable to `typeof theirs` (overloads included: each official
 *   signature must be matched by one of ours), and a function takes every argument count theirs takes (the checker
 *   lets a function with fewer parameters stand in for one with more, which a call passing them does not).
 * - A class: each public instance member of theirs exists in ours and our member is assignable to theirs (a writable
 *   property also the other way: users assign it), each public static member likewise, and every official
 *   constructor call is accepted by one of our constructors. Private members would make the classes nominal, so the
 *   instance types are compared member by member.
 * - A type (interface, type alias, enum): both directions are computed. An input type (option objects, providers and
 *   callbacks a user writes, function types: see `INPUT_NAME`) must accept theirs (official → ours: user code builds
 *   theirs and hands it to us); any other type (results, messages, data shapes) must hold both ways. Generic types
 *   are compared with their defaults, `any` for a required type argument, and must take as many type arguments.
 *
 * Inside those comparisons (see `Relation`), an instance of a class both SDKs export is taken as related (in a
 * drop-in it is always ours; the class's own entry compares the two), a zod schema is compared by the data it parses
 * to (ours are zod mini, theirs classic zod: a deliberate difference), and an enum member matches a literal of the
 * same value.
 *
 * Each failure comes with a one-line diagnosis: the first member, parameter or result on the way down where the two
 * types part, e.g. `Client#listTools().await.tools[].inputSchema.properties[string]: ours unknown is not assignable to
 * theirs JSONValue` (`#` an instance member, `.await` the resolved value, `[]` an element, `(name)` a parameter).
 *
 * Compiler options are those of a user's strict project (`strict`, no `exactOptionalPropertyTypes`). Two programs
 * share the parsed files: the first lists the names, the second adds a generated probe file that names the types to
 * compare (generic types instantiated, classes' instance types) and does the checking.
 *
 * @module
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));

/** What an official name is: the comparison depends on it. */
export type NameKind = 'function' | 'class' | 'value' | 'type';

/** The comparison of one shared name. */
export interface NameCompat {
    readonly name: string;
    readonly kind: NameKind;
    /** An input type (option object, provider, callback): only official → ours is required. */
    readonly input: boolean;
    /** The official value is a zod schema: compared by the data it parses to (ours are zod mini). */
    readonly schema: boolean;
    /** For a type: whether the official type is assignable to ours. */
    readonly theirsToOurs?: boolean;
    /** For a type: whether our type is assignable to the official one. */
    readonly oursToTheirs?: boolean;
    /** Why ours cannot stand in for theirs, one line each; empty when compatible. */
    readonly problems: readonly string[];
}

/** One official entry (declarations) and ours (source), both absolute paths. */
export interface FilePair {
    readonly official: string;
    readonly ours: string;
}

/**
 * Names of types a user builds and hands to the SDK: only official → ours matters for them (a function type is one
 * too, unless listed in `OUTPUT_NAMES`).
 */
const INPUT_NAME =
    /(Options|Provider|Callback|Handler|Handlers|Schemas|Config|Init|Hooks|Listener|Store|Factory|Scheduler|Codec|Middleware)$/;

/** Types the SDK hands to users although their names or shapes say input: the handlers its factories return. */
const OUTPUT_NAMES = new Set(['McpHttpHandler', 'FetchLikeMcpHandler', 'NodeMcpRequestHandler', 'LegacyHttpHandler']);

const OPTIONS: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['mcp-source'],
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node']
};

/** The generated file naming the types to compare (instantiated generics, classes' instance types). */
const PROBE = join(here, '__typeCompatProbe__.ts');

/** Compares every shared name of each pair; results by official file, in the official entry's name order. */
export function compareEntries(pairs: readonly FilePair[]): Map<string, NameCompat[]> {
    const files = [...new Set(pairs.flatMap(pair => [pair.official, pair.ours]))];
    // A first program reads the names and the type parameters, to write the probe; the second one holds the probe
    // too and does all the checking, reusing the first one's parsed and bound files (so it costs little).
    const first = ts.createProgram(files, OPTIONS, createHost(''));
    const probeText = writeProbe(first, pairs);
    const program = ts.createProgram([...files, PROBE], OPTIONS, createHost(probeText, first), first);
    const checker = program.getTypeChecker();
    const probe = readProbe(program, checker, pairs);
    const relation = new Relation(checker, probe.get('Function_')!.theirs);
    const result = new Map<string, NameCompat[]>();
    pairs.forEach((pair, index) => {
        const theirs = exportsOf(program, checker, pair.official);
        const ours = exportsOf(program, checker, pair.ours);
        const compat: NameCompat[] = [];
        for (const [name, official] of theirs) {
            const mine = ours.get(name);
            if (mine === undefined) continue;
            compat.push(new Comparison(relation, name, official, mine, probe.get(`${index}:${name}`)).compare());
        }
        result.set(pair.official, compat);
    });
    return result;
}

/** A compiler host that also serves the probe file, and the files `parsed` holds already. */
function createHost(probeText: string, parsed?: ts.Program): ts.CompilerHost {
    const host = ts.createCompilerHost(OPTIONS, true);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
        fileName === PROBE
            ? ts.createSourceFile(fileName, probeText, languageVersion, true)
            : (parsed?.getSourceFile(fileName) ??
              getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate));
    host.fileExists = fileName => fileName === PROBE || fileExists.call(host, fileName);
    host.readFile = fileName => (fileName === PROBE ? probeText : readFile.call(host, fileName));
    return host;
}

/** An entry's exports by name, aliases resolved. */
function exportsOf(program: ts.Program, checker: ts.TypeChecker, file: string): Map<string, ts.Symbol> {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read the exports of ${file}`);
    const names = new Map<string, ts.Symbol>();
    for (const exported of checker.getExportsOfModule(module)) {
        names.set(exported.name, exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported);
    }
    return names;
}

/** The type parameters of a type-level declaration: how many, and how many must be given. */
function typeParameters(symbol: ts.Symbol): { count: number; required: number } {
    for (const declaration of symbol.declarations ?? []) {
        if (
            ts.isClassDeclaration(declaration) ||
            ts.isInterfaceDeclaration(declaration) ||
            ts.isTypeAliasDeclaration(declaration)
        ) {
            const parameters = declaration.typeParameters ?? [];
            return { count: parameters.length, required: parameters.filter(p => p.default === undefined).length };
        }
    }
    return { count: 0, required: 0 };
}

const TYPE_MEANING = ts.SymbolFlags.Type & ~ts.SymbolFlags.TypeParameter;

/** The import specifier of a file for the probe (`.d.mts` → `.mjs`, `.ts` → `.js`). */
function specifier(file: string): string {
    return file
        .replace(/\.d\.mts$/, '.mjs')
        .replace(/\.d\.ts$/, '.js')
        .replace(/\.ts$/, '.js');
}

/** Writes the probe: `export type O<i>_<name> = O<i>.<name><any, …>` and the same for ours, per shared type name. */
function writeProbe(program: ts.Program, pairs: readonly FilePair[]): string {
    const checker = program.getTypeChecker();
    const lines: string[] = ['export type Function_ = Function;'];
    pairs.forEach((pair, index) => {
        lines.push(`import type * as O${index} from '${specifier(pair.official)}';`);
        lines.push(`import type * as M${index} from '${specifier(pair.ours)}';`);
        const theirs = exportsOf(program, checker, pair.official);
        const ours = exportsOf(program, checker, pair.ours);
        for (const [name, official] of theirs) {
            const mine = ours.get(name);
            if (mine === undefined || !(official.flags & TYPE_MEANING) || !(mine.flags & TYPE_MEANING)) continue;
            const theirParameters = typeParameters(official);
            const ourParameters = typeParameters(mine);
            const args = (count: number) =>
                count === 0 ? '' : `<${Array.from({ length: count }, () => 'any').join(', ')}>`;
            lines.push(`export type O${index}_${name} = O${index}.${name}${args(theirParameters.required)};`);
            const ourCount = Math.min(Math.max(theirParameters.required, ourParameters.required), ourParameters.count);
            lines.push(`export type M${index}_${name} = M${index}.${name}${args(ourCount)};`);
        }
    });
    return lines.join('\n') + '\n';
}

/** The probe's types by `<pair index>:<name>`: theirs and ours. */
function readProbe(
    program: ts.Program,
    checker: ts.TypeChecker,
    pairs: readonly FilePair[]
): Map<string, { theirs: ts.Type; ours: ts.Type }> {
    const source = program.getSourceFile(PROBE)!;
    const modules = new Map<string, ts.Symbol | undefined>();
    const types = new Map<string, ts.Type>();
    for (const statement of source.statements) {
        if (ts.isImportDeclaration(statement)) {
            const alias = statement.importClause?.namedBindings;
            if (alias !== undefined && ts.isNamespaceImport(alias)) {
                modules.set(alias.name.text, checker.getSymbolAtLocation(statement.moduleSpecifier));
            }
        } else if (ts.isTypeAliasDeclaration(statement)) {
            types.set(statement.name.text, checker.getTypeFromTypeNode(statement.type));
        }
    }
    pairs.forEach((pair, index) => {
        for (const [alias, file] of [
            [`O${index}`, pair.official],
            [`M${index}`, pair.ours]
        ] as const) {
            const expected = checker.getSymbolAtLocation(program.getSourceFile(file)!);
            if (modules.get(alias) !== expected) throw new Error(`the probe does not resolve ${file}`);
        }
    });
    const result = new Map<string, { theirs: ts.Type; ours: ts.Type }>();
    for (const [alias, theirs] of types) {
        if (alias === 'Function_') result.set(alias, { theirs, ours: theirs });
        const match = /^O(\d+)_(.+)$/.exec(alias);
        if (match === null) continue;
        result.set(`${match[1]}:${match[2]}`, { theirs, ours: types.get(`M${match[1]}_${match[2]}`)! });
    }
    return result;
}

/**
 * A relation's verdict: `OK` (assignable), `RELAXED` (assignable once classes are compared by their public members
 * and zod schemas by the data they parse to), or the first place where the two types part and why.
 */
const OK = 0;
const RELAXED = 1;
interface Mismatch {
    /** Where, relative to the types compared: `.member`, `(parameter)`, `()` for a result, `[]` for elements. */
    readonly path: string;
    readonly text: string;
    /** Two different literals: the mismatch of a union member that a discriminant rules out. */
    readonly discriminant?: boolean;
    /**
     * A type parameter (or a type built on one) against another type: the walk cannot unify generic signatures as
     * the checker does.
     */
    readonly generic?: boolean;
}
type Verdict = typeof OK | typeof RELAXED | Mismatch;

function isMismatch(verdict: Verdict): verdict is Mismatch {
    return typeof verdict === 'object';
}

function under(path: string, verdict: Mismatch): Mismatch {
    return { ...verdict, path: path + verdict.path };
}

/**
 * How deep a comparison descends into members, parameters and results before it gives up explaining (recursive types
 * stop earlier: a pair being compared is assumed related while it is).
 */
const MAX_DEPTH = 40;

/**
 * `isTypeAssignableTo`, and where it fails, a structural walk that finds the first member, parameter or result
 * that differs. The walk relaxes what the checker is strict about and a user of one SDK never meets: classes with
 * private members are nominal (ours is never assignable to theirs), so an instance of a class both SDKs export is
 * taken as related (its own entry compares the public members) and other classes are compared by their public
 * members; our zod schemas are zod mini while theirs are classic zod (a deliberate difference, see
 * `typeDifferences.ts`), so two zod schemas are compared by the data they parse to; an enum member and a literal of
 * the same value match; and the type parameters of two generic signatures are paired by position (the checker
 * unifies them instead, which this walk cannot: a mismatch it meets there is reported as the two signatures).
 */
class Relation {
    /** Verdicts by direction (`ours → theirs`, `theirs → ours`), source and target. */
    private readonly memo = [new Map<ts.Type, Map<ts.Type, Verdict>>(), new Map<ts.Type, Map<ts.Type, Verdict>>()];
    /** The type parameters of two generic signatures being compared, paired by position. */
    private readonly corresponding = new Map<ts.Type, ts.Type>();

    /** `Function`, whose members every callable type has. */
    private readonly functionType: ts.Type;

    constructor(
        readonly checker: ts.TypeChecker,
        functionType: ts.Type
    ) {
        this.functionType = functionType;
    }

    /**
     * The member of `type` named like `property`. (`getPropertyOfType` takes a name it escapes, so it cannot find a
     * member keyed by a well-known symbol, `__@iterator@…`: those are looked up by their escaped name.)
     */
    member(type: ts.Type, property: ts.Symbol): ts.Symbol | undefined {
        const { checker } = this;
        if (!String(property.escapedName).startsWith('__')) return checker.getPropertyOfType(type, property.name);
        const own = checker.getPropertiesOfType(type).find(member => member.escapedName === property.escapedName);
        if (own !== undefined) return own;
        if (type.getCallSignatures().length === 0 && type.getConstructSignatures().length === 0) return undefined;
        return checker
            .getPropertiesOfType(this.functionType)
            .find(member => member.escapedName === property.escapedName);
    }

    relate(source: ts.Type, target: ts.Type, sourceIsOurs: boolean, depth = 0): Verdict {
        if (this.checker.isTypeAssignableTo(source, target)) return OK;
        const memo = this.memo[sourceIsOurs ? 0 : 1]!;
        let row = memo.get(source);
        if (row === undefined) memo.set(source, (row = new Map()));
        const known = row.get(target);
        if (known !== undefined) return known;
        row.set(target, RELAXED); // while comparing recursive types: assume they are related (coinduction)
        const verdict =
            depth >= MAX_DEPTH
                ? this.leaf(source, target, sourceIsOurs)
                : this.structure(source, target, sourceIsOurs, depth);
        row.set(target, verdict);
        return verdict;
    }

    /** `source` is not assignable to `target`: why not, or `RELAXED` when only the relaxed differences stand. */
    private structure(source: ts.Type, target: ts.Type, sourceIsOurs: boolean, depth: number): Verdict {
        const { checker } = this;
        const next = depth + 1;
        if (source.flags & ts.TypeFlags.TypeParameter || target.flags & ts.TypeFlags.TypeParameter) {
            return this.corresponding.get(source) === target ? RELAXED : this.leaf(source, target, sourceIsOurs);
        }
        if (isUnit(source) && isUnit(target) && unitValue(source) === unitValue(target)) {
            // An enum member and a literal of the same value (theirs `enum`, ours `as const` object, or back):
            // user code names the member of the one SDK it compiles against.
            return RELAXED;
        }
        if (sameClass(source, target)) {
            // An instance of a class both SDKs export: in a drop-in it is always ours, and the class's own entry
            // compares the two.
            return RELAXED;
        }
        if (source.isUnion()) {
            for (const member of source.types) {
                const verdict = this.relate(member, target, sourceIsOurs, next);
                if (isMismatch(verdict)) return verdict;
            }
            return RELAXED;
        }
        if (target.isUnion()) {
            const mismatches: Mismatch[] = [];
            for (const member of target.types) {
                const verdict = this.relate(source, member, sourceIsOurs, next);
                if (!isMismatch(verdict)) return RELAXED;
                if (!(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) mismatches.push(verdict);
            }
            // The member the source comes closest to: not one its discriminant rules out, and the one where the
            // walk went deepest.
            const score = (mismatch: Mismatch) => (mismatch.discriminant ? 0 : 10_000) + mismatch.path.length;
            const best = mismatches.reduce<Mismatch | undefined>(
                (best, mismatch) => (best === undefined || score(mismatch) > score(best) ? mismatch : best),
                undefined
            );
            if (best === undefined || (mismatches.length > 1 && best.path === ''))
                return this.leaf(source, target, sourceIsOurs);
            return best;
        }
        if (target.isIntersection()) {
            for (const member of target.types) {
                const verdict = this.relate(source, member, sourceIsOurs, next);
                if (isMismatch(verdict)) return verdict;
            }
            return RELAXED;
        }
        if (source.flags & ts.TypeFlags.IndexedAccess && target.flags & ts.TypeFlags.IndexedAccess) {
            const [s, t] = [source as ts.IndexedAccessType, target as ts.IndexedAccessType];
            const objects = this.relate(s.objectType, t.objectType, sourceIsOurs, next);
            if (isMismatch(objects)) return objects;
            const indexes = this.relate(s.indexType, t.indexType, sourceIsOurs, next);
            return isMismatch(indexes) ? indexes : RELAXED;
        }
        if (
            !(source.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) ||
            !(target.flags & ts.TypeFlags.Object)
        ) {
            return this.leaf(source, target, sourceIsOurs);
        }
        if (source.isIntersection()) {
            // `A & B` stands in for `target` when one of its parts does (an array with a brand, …).
            const verdicts = source.types.map(member => this.relate(member, target, sourceIsOurs, next));
            if (verdicts.some(verdict => !isMismatch(verdict))) return RELAXED;
            const array = source.types.findIndex(member => checker.isArrayType(member) || checker.isTupleType(member));
            if (array !== -1 && (checker.isArrayType(target) || checker.isTupleType(target))) return verdicts[array]!;
        }
        const sourceAwaited = checker.getAwaitedType(source);
        const targetAwaited = checker.getAwaitedType(target);
        if (
            sourceAwaited !== undefined &&
            targetAwaited !== undefined &&
            sourceAwaited !== source &&
            targetAwaited !== target
        ) {
            const verdict = this.relate(sourceAwaited, targetAwaited, sourceIsOurs, next);
            return isMismatch(verdict) ? under('.await', verdict) : RELAXED;
        }
        const sourceOutput = zodOutput(checker, source);
        const targetOutput = zodOutput(checker, target);
        if (sourceOutput !== undefined && targetOutput !== undefined) {
            const verdict = this.relate(sourceOutput, targetOutput, sourceIsOurs, next);
            return isMismatch(verdict) ? under('<output>', verdict) : RELAXED;
        }
        if (checker.isArrayType(source) && checker.isArrayType(target)) {
            if (isReadonlyArray(source) && !isReadonlyArray(target)) {
                return {
                    path: '',
                    text: `${side(sourceIsOurs)} is a readonly array, ${side(!sourceIsOurs)} a mutable one`
                };
            }
            const verdict = this.relate(elementType(checker, source), elementType(checker, target), sourceIsOurs, next);
            return isMismatch(verdict) ? under('[]', verdict) : RELAXED;
        }
        if (checker.isTupleType(source) && (checker.isTupleType(target) || checker.isArrayType(target))) {
            const elements = checker.getTypeArguments(source as ts.TypeReference);
            const targets = checker.getTypeArguments(target as ts.TypeReference);
            if (checker.isTupleType(target) && elements.length !== targets.length)
                return this.leaf(source, target, sourceIsOurs);
            for (const [index, element] of elements.entries()) {
                const verdict = this.relate(
                    element,
                    targets[checker.isTupleType(target) ? index : 0]!,
                    sourceIsOurs,
                    next
                );
                if (isMismatch(verdict)) return under(`[${index}]`, verdict);
            }
            return RELAXED;
        }
        for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
            const mismatch = this.relateSignatures(source, target, kind, sourceIsOurs, next);
            if (mismatch !== undefined) return mismatch;
        }
        const mismatch = this.relateMembers(source, target, sourceIsOurs, next);
        if (mismatch !== undefined) return mismatch;
        // Nothing found below: the checker's objection is the nominal classes or zod schemas within, or a rule this
        // walk does not model (then say so rather than pass).
        if (
            hasPrivateMembers(checker, source) ||
            hasPrivateMembers(checker, target) ||
            this.relaxedBelow(source, target, sourceIsOurs)
        ) {
            return RELAXED;
        }
        return { path: '', text: `${this.leaf(source, target, sourceIsOurs).text} (reason not located)` };
    }

    /** Whether a member comparison of these two types was relaxed (the nominal-class or zod rule applied below). */
    private relaxedBelow(source: ts.Type, target: ts.Type, sourceIsOurs: boolean): boolean {
        const { checker } = this;
        for (const property of checker.getPropertiesOfType(target)) {
            const mine = this.member(source, property);
            if (mine === undefined) continue;
            const memo = this.memo[sourceIsOurs ? 0 : 1]!.get(checker.getTypeOfSymbol(mine));
            if (memo?.get(checker.getTypeOfSymbol(property)) === RELAXED) return true;
        }
        for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
            if (checker.getSignaturesOfType(target, kind).length > 0) return true;
        }
        return false;
    }

    /** Every signature of `target` must be matched by one of `source`. */
    private relateSignatures(
        source: ts.Type,
        target: ts.Type,
        kind: ts.SignatureKind,
        sourceIsOurs: boolean,
        depth: number
    ): Mismatch | undefined {
        const { checker } = this;
        const targetSignatures = checker.getSignaturesOfType(target, kind);
        if (targetSignatures.length === 0) return undefined;
        const sourceSignatures = checker.getSignaturesOfType(source, kind);
        const prefix = kind === ts.SignatureKind.Construct ? ' new' : '';
        if (sourceSignatures.length === 0) {
            return {
                path: prefix,
                text: `${side(sourceIsOurs)} is not ${kind === ts.SignatureKind.Call ? 'callable' : 'constructible'}`
            };
        }
        for (const targetSignature of targetSignatures) {
            const verdicts = sourceSignatures.map(sourceSignature =>
                this.relateSignature(sourceSignature, targetSignature, sourceIsOurs, depth, true)
            );
            if (verdicts.some(verdict => !isMismatch(verdict))) continue;
            const sameCount = sourceSignatures.findIndex(
                signature => signature.parameters.length === targetSignature.parameters.length
            );
            return under(prefix, verdicts[sameCount === -1 ? 0 : sameCount] as Mismatch);
        }
        return undefined;
    }

    /**
     * Whether `source` can stand in for `target`: every call `target` allows is accepted by `source` (the target's
     * arguments are assignable to the source's parameters) and, with `withResult`, the source's result is assignable
     * to the target's.
     */
    relateSignature(
        source: ts.Signature,
        target: ts.Signature,
        sourceIsOurs: boolean,
        depth: number,
        withResult: boolean
    ): Verdict {
        const verdict = this.relateSignatureParts(source, target, sourceIsOurs, depth, withResult);
        if (!isMismatch(verdict) || !verdict.generic) return verdict;
        if ((source.typeParameters?.length ?? 0) === 0 && (target.typeParameters?.length ?? 0) === 0) return verdict;
        // Two generic signatures the checker would not unify, and this walk cannot say why: show both.
        return {
            path: '',
            text: `the generic signatures differ (${verdict.path}: ${verdict.text}); ${side(sourceIsOurs)} ${this.signature(source)}; ${side(!sourceIsOurs)} ${this.signature(target)}`,
            generic: true
        };
    }

    private signature(signature: ts.Signature): string {
        return short(
            this.checker.signatureToString(signature, undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope)
        );
    }

    private relateSignatureParts(
        source: ts.Signature,
        target: ts.Signature,
        sourceIsOurs: boolean,
        depth: number,
        withResult: boolean
    ): Verdict {
        const { checker } = this;
        const sourceParameters = source.typeParameters ?? [];
        const targetParameters = target.typeParameters ?? [];
        if (sourceParameters.length === targetParameters.length) {
            sourceParameters.forEach((parameter, index) => {
                this.corresponding.set(parameter, targetParameters[index]!);
                this.corresponding.set(targetParameters[index]!, parameter);
            });
        }
        const sourceArity = arity(source);
        const targetArity = arity(target);
        if (sourceArity.required > targetArity.count && !targetArity.rest) {
            return {
                path: '',
                text: `${side(sourceIsOurs)} requires ${sourceArity.required} arguments, ${side(!sourceIsOurs)} passes at most ${targetArity.count}`
            };
        }
        let verdict: Verdict = OK;
        const count = targetArity.rest ? Math.max(targetArity.count + 1, sourceArity.count) : targetArity.count;
        for (let index = 0; index < count; index++) {
            let argument = parameterType(checker, target, index);
            const parameter = parameterType(checker, source, index);
            if (argument === undefined || parameter === undefined) continue;
            const at = `(${parameterName(target, index)})`;
            if (isOptionalParameter(target, index) && !isOptionalParameter(source, index)) {
                if (!checker.isTypeAssignableTo(checker.getUndefinedType(), parameter)) {
                    return { path: at, text: `optional in ${side(!sourceIsOurs)}, required in ${side(sourceIsOurs)}` };
                }
            }
            if (isOptionalParameter(source, index)) argument = checker.getNonNullableType(argument);
            // The argument flows from the target's caller into the source: the sides swap.
            const relation = this.relate(argument, parameter, !sourceIsOurs, depth + 1);
            if (isMismatch(relation)) return under(at, relation);
            if (relation === RELAXED) verdict = RELAXED;
        }
        if (withResult) {
            const targetResult = checker.getReturnTypeOfSignature(target);
            if (!(targetResult.flags & ts.TypeFlags.Void)) {
                const relation = this.relate(
                    checker.getReturnTypeOfSignature(source),
                    targetResult,
                    sourceIsOurs,
                    depth + 1
                );
                if (isMismatch(relation)) return under('()', relation);
                if (relation === RELAXED) verdict = RELAXED;
            }
        }
        return verdict;
    }

    /** The public members of `target` must exist in `source` with assignable types. */
    private relateMembers(
        source: ts.Type,
        target: ts.Type,
        sourceIsOurs: boolean,
        depth: number
    ): Mismatch | undefined {
        const { checker } = this;
        const properties = checker.getPropertiesOfType(target).filter(isPublic);
        const missing = properties.filter(property => {
            const mine = this.member(source, property);
            return !isOptional(property) && (mine === undefined || !isPublic(mine));
        });
        if (missing.length > 0) {
            return { path: '', text: `missing in ${side(sourceIsOurs)}: ${names(missing)}` };
        }
        for (const property of properties) {
            const mine = this.member(source, property);
            if (mine === undefined || !isPublic(mine)) continue;
            const at = memberPath(property);
            if (isOptional(mine) && !isOptional(property)) {
                return { path: at, text: `optional in ${side(sourceIsOurs)}, required in ${side(!sourceIsOurs)}` };
            }
            const verdict = this.relate(
                checker.getTypeOfSymbol(mine),
                checker.getTypeOfSymbol(property),
                sourceIsOurs,
                depth
            );
            if (isMismatch(verdict)) return under(at, verdict);
        }
        for (const info of checker.getIndexInfosOfType(target)) {
            for (const property of checker.getPropertiesOfType(source).filter(isPublic)) {
                if (!(info.keyType.flags & ts.TypeFlags.String)) continue;
                const verdict = this.relate(checker.getTypeOfSymbol(property), info.type, sourceIsOurs, depth);
                if (isMismatch(verdict)) return under(memberPath(property), verdict);
            }
            for (const mine of checker.getIndexInfosOfType(source)) {
                if (
                    !checker.isTypeAssignableTo(info.keyType, mine.keyType) &&
                    !checker.isTypeAssignableTo(mine.keyType, info.keyType)
                )
                    continue;
                const verdict = this.relate(mine.type, info.type, sourceIsOurs, depth);
                if (isMismatch(verdict)) return under(`[${checker.typeToString(info.keyType)}]`, verdict);
            }
        }
        return undefined;
    }

    leaf(source: ts.Type, target: ts.Type, sourceIsOurs: boolean): Mismatch {
        return {
            path: '',
            text: `${side(sourceIsOurs)} ${this.typeText(source)} is not assignable to ${side(!sourceIsOurs)} ${this.typeText(target)}`,
            discriminant: isUnit(source) && isUnit(target),
            generic: ((source.flags | target.flags) & ts.TypeFlags.Instantiable) !== 0
        };
    }

    typeText(type: ts.Type): string {
        return short(this.checker.typeToString(type, undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope));
    }
}

/** Compares one shared name. */
class Comparison {
    private readonly problems: string[] = [];
    private readonly checker: ts.TypeChecker;

    constructor(
        private readonly relation: Relation,
        private readonly name: string,
        private readonly theirs: ts.Symbol,
        private readonly ours: ts.Symbol,
        private readonly probe: { theirs: ts.Type; ours: ts.Type } | undefined
    ) {
        this.checker = relation.checker;
    }

    compare(): NameCompat {
        const { checker, name, theirs, ours } = this;
        if (theirs.flags & ts.SymbolFlags.Class) return this.compareClass();
        let kind: NameKind = 'type';
        let input = false;
        let schema = false;
        let directions: { theirsToOurs?: boolean; oursToTheirs?: boolean } = {};
        if (theirs.flags & ts.SymbolFlags.Value) {
            const theirType = checker.getTypeOfSymbol(theirs);
            kind =
                theirType.getCallSignatures().length > 0 && theirType.getProperties().length === 0
                    ? 'function'
                    : 'value';
            schema = zodOutput(checker, theirType) !== undefined;
            if (!(ours.flags & ts.SymbolFlags.Value)) this.problems.push('ours is a type only');
            else {
                this.callArity(checker.getTypeOfSymbol(ours), theirType, name, ts.SignatureKind.Call);
                this.assignable(checker.getTypeOfSymbol(ours), theirType, name);
            }
        }
        if (theirs.flags & TYPE_MEANING) {
            if (this.probe === undefined) {
                this.problems.push('ours is a value only');
            } else {
                this.checkTypeArity();
                const { theirs: theirType, ours: ourType } = this.probe;
                input = kind === 'type' && isInputType(name, theirType);
                const theirsToOurs = this.relation.relate(theirType, ourType, false);
                const oursToTheirs = this.relation.relate(ourType, theirType, true);
                directions = { theirsToOurs: !isMismatch(theirsToOurs), oursToTheirs: !isMismatch(oursToTheirs) };
                if (isMismatch(theirsToOurs)) this.problems.push(`theirs → ours: ${describe(name, theirsToOurs)}`);
                if (isMismatch(oursToTheirs) && !input)
                    this.problems.push(`ours → theirs: ${describe(name, oursToTheirs)}`);
            }
        }
        return { name, kind, input, schema, ...directions, problems: this.problems };
    }

    /** Users write `Name<A, B>` with as many type arguments as theirs takes: ours must take them. */
    private checkTypeArity(): void {
        const theirs = typeParameters(this.theirs);
        const ours = typeParameters(this.ours);
        if (ours.required > theirs.required || ours.count < theirs.count) {
            this.problems.push(`type arguments: theirs takes ${range(theirs)}, ours ${range(ours)}`);
        }
    }

    private compareClass(): NameCompat {
        const { checker, name, theirs, ours } = this;
        const result = { name, kind: 'class' as const, input: false, schema: false, problems: this.problems };
        if (!(ours.flags & ts.SymbolFlags.Value)) {
            this.problems.push('ours is a type only, not a class');
            return result;
        }
        const theirStatic = checker.getTypeOfSymbol(theirs);
        const ourStatic = checker.getTypeOfSymbol(ours);
        if (isAbstract(ours) && !isAbstract(theirs)) this.problems.push(`new ${name}: ours is abstract, theirs is not`);
        this.callArity(ourStatic, theirStatic, name, ts.SignatureKind.Construct);
        this.compareConstructors(theirStatic, ourStatic);
        this.compareMembers(theirStatic, ourStatic, `${name}.`, member => member !== 'prototype');
        if (this.probe === undefined) {
            this.problems.push('ours has no instance type');
        } else {
            this.checkTypeArity();
            this.compareMembers(this.probe.theirs, this.probe.ours, `${name}#`, () => true);
        }
        return result;
    }

    /** Each official constructor signature must be accepted by one of ours (their arguments fit our parameters). */
    private compareConstructors(theirStatic: ts.Type, ourStatic: ts.Type): void {
        const ourSignatures = ourStatic.getConstructSignatures();
        for (const signature of theirStatic.getConstructSignatures()) {
            const verdicts = ourSignatures.map(mine => this.relation.relateSignature(mine, signature, true, 0, false));
            if (verdicts.some(verdict => !isMismatch(verdict))) continue;
            const first = verdicts[0];
            this.problems.push(
                first === undefined
                    ? `new ${this.name}: ours has no constructor`
                    : describe(`new ${this.name}`, first as Mismatch)
            );
        }
    }

    /**
     * The public members of theirs, each in ours and assignable to theirs; a writable property (not a method) is
     * also assigned by users, so theirs must be assignable to ours too.
     */
    private compareMembers(theirs: ts.Type, ours: ts.Type, prefix: string, include: (name: string) => boolean): void {
        const { checker, relation } = this;
        for (const property of checker.getPropertiesOfType(theirs)) {
            if (!isPublic(property) || !include(property.name)) continue;
            const path = `${prefix}${memberName(property)}`;
            const mine = relation.member(ours, property);
            if (mine === undefined) {
                this.problems.push(`${path}: missing in ours`);
                continue;
            }
            if (!isPublic(mine)) {
                this.problems.push(`${path}: not public in ours`);
                continue;
            }
            const ourType = checker.getTypeOfSymbol(mine);
            const theirType = checker.getTypeOfSymbol(property);
            if (
                isOptional(mine) &&
                !isOptional(property) &&
                !checker.isTypeAssignableTo(checker.getUndefinedType(), theirType)
            ) {
                this.problems.push(`${path}: optional in ours, not in theirs`);
            }
            this.callArity(
                checker.getNonNullableType(ourType),
                checker.getNonNullableType(theirType),
                path,
                ts.SignatureKind.Call
            );
            const read = relation.relate(ourType, theirType, true);
            if (isMismatch(read)) this.problems.push(describe(path, read));
            if (isWritable(property)) {
                if (!isWritable(mine)) this.problems.push(`${path}: read-only in ours`);
                const written = relation.relate(theirType, ourType, false);
                if (isMismatch(written)) this.problems.push(describe(`${path} (assigned)`, written));
            }
        }
    }

    /**
     * User code calls ours the way it called theirs: each official signature needs one of ours that takes as few
     * arguments and as many. (Assignability lets a function with fewer parameters stand in for one with more: right
     * for a callback, not for a call that passes them, so it is checked apart.)
     */
    private callArity(ours: ts.Type, theirs: ts.Type, path: string, kind: ts.SignatureKind): void {
        const ourSignatures = this.checker.getSignaturesOfType(ours, kind);
        if (ourSignatures.length === 0) return;
        for (const signature of this.checker.getSignaturesOfType(theirs, kind)) {
            const wanted = arity(signature);
            const fits = ourSignatures.some(mine => {
                const offered = arity(mine);
                return (
                    offered.required <= wanted.required &&
                    (offered.rest || (!wanted.rest && offered.count >= wanted.count))
                );
            });
            if (fits) continue;
            const offered = ourSignatures.map(mine => arityText(arity(mine))).join(' or ');
            const prefix = kind === ts.SignatureKind.Construct ? 'new ' : '';
            this.problems.push(`${prefix}${path}: ours takes ${offered} arguments, theirs ${arityText(wanted)}`);
        }
    }

    /** Records a problem unless `source` (ours) is assignable to `target` (theirs). */
    private assignable(source: ts.Type, target: ts.Type, path: string): void {
        const verdict = this.relation.relate(source, target, true);
        if (isMismatch(verdict)) this.problems.push(describe(path, verdict));
    }
}

function describe(path: string, mismatch: Mismatch): string {
    return `${path}${mismatch.path}: ${mismatch.text}`;
}

/** Whether a type is one users build and hand over (option objects, providers, callbacks, function types). */
function isInputType(name: string, type: ts.Type): boolean {
    if (OUTPUT_NAMES.has(name)) return false;
    if (INPUT_NAME.test(name)) return true;
    return type.getCallSignatures().length > 0 && type.getProperties().length === 0;
}

/** The type a zod schema parses to (`~standard.types.output`), or `undefined` when the type is no zod schema. */
function zodOutput(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
    if (!(type.flags & ts.TypeFlags.Object) || checker.getPropertyOfType(type, '_zod') === undefined) return undefined;
    const standard = checker.getPropertyOfType(type, '~standard');
    if (standard === undefined) return undefined;
    const types = checker.getPropertyOfType(checker.getTypeOfSymbol(standard), 'types');
    if (types === undefined) return undefined;
    const output = checker.getPropertyOfType(checker.getNonNullableType(checker.getTypeOfSymbol(types)), 'output');
    return output === undefined ? undefined : checker.getTypeOfSymbol(output);
}

/** Private and protected members (and `#names`) are not part of what a user can touch. */
function isPublic(symbol: ts.Symbol): boolean {
    if (symbol.name.startsWith('__#') || symbol.name.startsWith('#')) return false;
    return !(symbol.declarations ?? []).some(
        declaration =>
            ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)
    );
}

function hasPrivateMembers(checker: ts.TypeChecker, type: ts.Type): boolean {
    return checker.getPropertiesOfType(type).some(property => !isPublic(property));
}

function isOptional(symbol: ts.Symbol): boolean {
    return (symbol.flags & ts.SymbolFlags.Optional) !== 0;
}

/** A property users can assign: not a method, not `readonly`, not a getter without a setter. */
function isWritable(symbol: ts.Symbol): boolean {
    if (symbol.flags & ts.SymbolFlags.Accessor) return (symbol.flags & ts.SymbolFlags.SetAccessor) !== 0;
    if (!(symbol.flags & ts.SymbolFlags.Property)) return false;
    return !(symbol.declarations ?? []).some(
        declaration => ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly
    );
}

/** A member's name as written: `[Symbol.hasInstance]` for a well-known symbol. */
function memberName(symbol: ts.Symbol): string {
    const match = /^__@(\w+)@\d+$/.exec(symbol.name);
    return match === null ? symbol.name : `[Symbol.${match[1]}]`;
}

/** Member names for a message, the first few. */
function names(symbols: readonly ts.Symbol[]): string {
    const shown = symbols.slice(0, 6).map(symbol => memberName(symbol));
    return symbols.length > shown.length
        ? `${shown.join(', ')} and ${symbols.length - shown.length} more`
        : shown.join(', ');
}

/** A literal type (string, number, enum member) or another type with one value. */
function isUnit(type: ts.Type): boolean {
    return (type.flags & ts.TypeFlags.Unit) !== 0;
}

function unitValue(type: ts.Type): unknown {
    return type.isLiteral() ? type.value : type.flags;
}

/** Two instance types of a class the two SDKs both name the same way. */
function sameClass(source: ts.Type, target: ts.Type): boolean {
    const [s, t] = [source.getSymbol(), target.getSymbol()];
    return s !== undefined && t !== undefined && (s.flags & t.flags & ts.SymbolFlags.Class) !== 0 && s.name === t.name;
}

function memberPath(symbol: ts.Symbol): string {
    const name = memberName(symbol);
    return name.startsWith('[') ? name : `.${name}`;
}

function isReadonlyArray(type: ts.Type): boolean {
    return type.getSymbol()?.name === 'ReadonlyArray';
}

function elementType(checker: ts.TypeChecker, type: ts.Type): ts.Type {
    return checker.getTypeArguments(type as ts.TypeReference)[0]!;
}

function isAbstract(symbol: ts.Symbol): boolean {
    return (symbol.declarations ?? []).some(
        declaration =>
            ts.isClassDeclaration(declaration) &&
            (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract) !== 0
    );
}

function parameterDeclaration(signature: ts.Signature, index: number): ts.ParameterDeclaration | undefined {
    const { parameters } = signature;
    const declaration = parameters[Math.min(index, parameters.length - 1)]?.valueDeclaration;
    return declaration !== undefined && ts.isParameter(declaration) ? declaration : undefined;
}

function hasRest(signature: ts.Signature): boolean {
    return parameterDeclaration(signature, signature.parameters.length - 1)?.dotDotDotToken !== undefined;
}

function isOptionalParameter(signature: ts.Signature, index: number): boolean {
    const declaration = parameterDeclaration(signature, index);
    if (declaration === undefined) return false;
    return (
        declaration.questionToken !== undefined ||
        declaration.initializer !== undefined ||
        declaration.dotDotDotToken !== undefined
    );
}

function parameterName(signature: ts.Signature, index: number): string {
    const { parameters } = signature;
    return parameters[Math.min(index, parameters.length - 1)]?.name ?? `#${index}`;
}

/** Parameter counts of a signature, read from its declaration. */
function arity(signature: ts.Signature): { count: number; required: number; rest: boolean } {
    const rest = hasRest(signature);
    let required = 0;
    signature.parameters.forEach((_, index) => {
        if (!isOptionalParameter(signature, index)) required = index + 1;
    });
    return { count: signature.parameters.length - (rest ? 1 : 0), required, rest };
}

/** The type of the argument at `index` of a call to `signature` (the element type for a rest parameter). */
function parameterType(checker: ts.TypeChecker, signature: ts.Signature, index: number): ts.Type | undefined {
    const { parameters } = signature;
    const rest = hasRest(signature);
    if (index < parameters.length - (rest ? 1 : 0)) return checker.getTypeOfSymbol(parameters[index]!);
    if (!rest) return undefined;
    const restType = checker.getTypeOfSymbol(parameters[parameters.length - 1]!);
    if (checker.isArrayType(restType)) return elementType(checker, restType);
    if (checker.isTupleType(restType))
        return checker.getTypeArguments(restType as ts.TypeReference)[index - parameters.length + 1];
    return undefined;
}

function arityText({ count, required, rest }: { count: number; required: number; rest: boolean }): string {
    if (rest) return `${required} or more`;
    return required === count ? `${count}` : `${required}–${count}`;
}

function side(ours: boolean): string {
    return ours ? 'ours' : 'theirs';
}

function range({ count, required }: { count: number; required: number }): string {
    return required === count ? `${count}` : `${required}–${count}`;
}

/** A type's text, cut to a readable length. */
function short(text: string): string {
    const oneLine = text.replace(/\s+/g, ' ');
    return oneLine.length <= 110 ? oneLine : `${oneLine.slice(0, 107)}...`;
}
