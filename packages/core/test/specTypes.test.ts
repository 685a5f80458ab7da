import { describe, expect, it } from 'vitest';
import { isSpecType, preloadSchemas, specTypeSchemas } from '@modelcontextprotocol/core';
import type { SpecTypes } from '@modelcontextprotocol/core';

describe('spec types by name', () => {
    it('validate synchronously with the Standard Schema interface', () => {
        preloadSchemas();
        const ok = specTypeSchemas.CallToolResult['~standard'].validate({ content: [{ type: 'text', text: 'hi' }] });
        expect(ok.issues).toBeUndefined();
        const bad = specTypeSchemas.CallToolResult['~standard'].validate({ content: [{ type: 'text' }] });
        expect(bad.issues?.length).toBeGreaterThan(0);
        expect(
            specTypeSchemas.OAuthTokens['~standard'].validate({ access_token: 'a', token_type: 'Bearer' }).issues
        ).toBeUndefined();
    });

    it('guard values as standalone functions', () => {
        const values: unknown[] = [{ name: 'a', inputSchema: { type: 'object' } }, { name: 'b' }, 'c'];
        const tools: SpecTypes['Tool'][] = values.filter(isSpecType.Tool);
        expect(tools.map(t => t.name)).toEqual(['a']);
        expect(isSpecType.ContentBlock({ type: 'image', data: 'x', mimeType: 'image/png' })).toBe(true);
        expect(isSpecType.ContentBlock({ type: 'video' })).toBe(false);
    });

    it('cover the protocol and OAuth types, frozen', () => {
        expect(Object.keys(specTypeSchemas).length).toBeGreaterThan(120);
        expect(Object.isFrozen(specTypeSchemas)).toBe(true);
        expect(Object.keys(isSpecType)).toEqual(Object.keys(specTypeSchemas));
    });
});
