// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {
        ignores: [
            '**/dist/**',
            '**/node_modules/**',
            '**/coverage/**',
            '.tmp/**',
            '.conformance/**',
            '.conformance-2026/**'
        ]
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            globals: {
                console: 'readonly',
                process: 'readonly',
                URL: 'readonly',
                fetch: 'readonly',
                setTimeout: 'readonly',
                clearTimeout: 'readonly'
            }
        },
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/consistent-type-imports': 'error',
            'no-console': 'off'
        }
    },
    {
        files: ['packages/core/src/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                { patterns: ['@modelcontextprotocol/client*', '@modelcontextprotocol/server*', 'node:*'] }
            ]
        }
    }
);
