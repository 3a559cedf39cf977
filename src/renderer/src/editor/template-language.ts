// Highlighting for prompt templates in the Jinja dialect of Hugging Face chat templates: {{ expressions }},
// {% statements %} and {# comments #}. Highlighting only; rendering is @huggingface/jinja's job.
import type * as Monaco from 'monaco-editor';

export const TEMPLATE_LANGUAGE_ID = 'dovetail-template';

const KEYWORDS = [
  'if', 'elif', 'else', 'endif', 'for', 'in', 'endfor', 'set', 'endset', 'macro', 'endmacro', 'call', 'endcall',
  'filter', 'endfilter', 'not', 'and', 'or', 'is', 'true', 'false', 'none', 'True', 'False', 'None', 'loop',
];

function insideTag(close: RegExp): Monaco.languages.IMonarchLanguageRule[] {
  return [
    [close, { token: 'tag', next: '@pop' }],
    [/"[^"]*"|'[^']*'/, 'string'],
    [/\d+(\.\d+)?/, 'number'],
    [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@default': 'variable' } }],
    [/[|.,()[\]=<>!+\-*/%~]/, 'operator'],
    [/\s+/, 'white'],
  ];
}

export function registerTemplateLanguage(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === TEMPLATE_LANGUAGE_ID)) return;
  monaco.languages.register({ id: TEMPLATE_LANGUAGE_ID, aliases: ['Prompt template'] });
  // No auto-closing: people type "{{ name }}" by hand and an editor that adds braces gets in the way.
  monaco.languages.setLanguageConfiguration(TEMPLATE_LANGUAGE_ID, {
    comments: { blockComment: ['{#', '#}'] },
    brackets: [],
    autoClosingPairs: [],
    surroundingPairs: [],
  });
  monaco.languages.setMonarchTokensProvider(TEMPLATE_LANGUAGE_ID, {
    keywords: KEYWORDS,
    tokenizer: {
      root: [
        [/\{#/, { token: 'comment', next: '@comment' }],
        [/\{\{-?/, { token: 'tag', next: '@expression' }],
        [/\{%-?/, { token: 'tag', next: '@statement' }],
        [/[^{]+/, ''],
        [/\{/, ''],
      ],
      comment: [
        [/#\}/, { token: 'comment', next: '@pop' }],
        [/[^#]+/, 'comment'],
        [/#/, 'comment'],
      ],
      expression: insideTag(/-?\}\}/),
      statement: insideTag(/-?%\}/),
    },
  });
}
