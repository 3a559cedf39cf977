export { TemplatesService, type TemplatesServiceDeps } from './templates-service';
export {
  compile,
  compileTemplate,
  failureError,
  renderRow,
  renderRows,
  templateFields,
  hashTemplate,
  MAX_RENDERED_CHARS,
  type CompiledTemplate,
  type RenderedRow,
  type RenderedText,
  type RowOutcome,
  type RowRoles,
  type RowToRender,
  type TemplateLike,
  type TemplateRenderer,
} from './render';
export type { DatasetReader, ReaderRow, ReaderVersionFacts, SplitName } from './dataset-reader';
