// The prompt-template language in Monaco, for the Jinja dialect of Hugging Face chat templates: highlighting of
// {{ expressions }}, {% statements %} and {# comments #}; bracket matching of {{ }}, {% %}, ( ) and [ ]; folding of
// {% for %} / {% if %} / {% macro %} blocks; completion (template-completion.ts) and hover of a field's value in the
// preview row, from the context each editor registers for its model. Rendering is @huggingface/jinja's job (main).
import type * as Monaco from 'monaco-editor';
import { completionsAt, hoverText, type CompletionKind } from './template-completion';

/** What an editor knows beyond its text: the dataset's fields and the preview row (for hover). */
export interface TemplateContext {
  readonly fields: readonly string[];
  readonly row: Readonly<Record<string, unknown>> | null;
  readonly reference: string | null;
}

const contexts = new Map<string, TemplateContext>();

/** Sets (or with null, forgets) the context of the editor model with this URI. */
export function setTemplateContext(modelUri: string, context: TemplateContext | null): void {
  if (context === null) contexts.delete(modelUri);
  else contexts.set(modelUri, context);
}

export const TEMPLATE_LANGUAGE_ID = 'dovetail-template';

const KEYWORDS = [
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'in',
  'endfor',
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'not',
  'and',
  'or',
  'is',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'loop',
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
    brackets: [
      ['{{', '}}'],
      ['{%', '%}'],
      ['(', ')'],
      ['[', ']'],
    ],
    autoClosingPairs: [],
    surroundingPairs: [],
    folding: {
      markers: {
        start: /\{%-?\s*(for|if|macro|filter|call)\b/,
        end: /\{%-?\s*end(for|if|macro|filter|call)\b/,
      },
    },
  });
  const kinds: Record<CompletionKind, Monaco.languages.CompletionItemKind> = {
    field: monaco.languages.CompletionItemKind.Field,
    filter: monaco.languages.CompletionItemKind.Function,
    helper: monaco.languages.CompletionItemKind.Variable,
    keyword: monaco.languages.CompletionItemKind.Keyword,
    snippet: monaco.languages.CompletionItemKind.Snippet,
  };
  monaco.languages.registerCompletionItemProvider(TEMPLATE_LANGUAGE_ID, {
    triggerCharacters: ['{', ' ', '|', '.'],
    provideCompletionItems(model, position) {
      const context = contexts.get(model.uri.toString());
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      const suggestions = completionsAt(before, context?.fields ?? []).map((c, i) => ({
        label: c.label,
        kind: kinds[c.kind],
        insertText: c.insertText,
        detail: c.detail,
        range,
        sortText: String(i).padStart(3, '0'),
        ...(c.kind === 'snippet'
          ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet }
          : {}),
      }));
      return { suggestions };
    },
  });
  monaco.languages.registerHoverProvider(TEMPLATE_LANGUAGE_ID, {
    provideHover(model, position) {
      const context = contexts.get(model.uri.toString());
      const word = model.getWordAtPosition(position);
      if (!context || !word) return null;
      const dot = word.startColumn > 1 && model.getLineContent(position.lineNumber)[word.startColumn - 2] === '.';
      const text = hoverText(word.word, dot, context.row, context.reference);
      if (text === null) return null;
      return {
        contents: [{ value: text }],
        range: {
          startLineNumber: position.lineNumber,
          endLineNumber: position.lineNumber,
          startColumn: word.startColumn,
          endColumn: word.endColumn,
        },
      };
    },
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
