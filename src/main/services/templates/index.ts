export { TemplatesService, type CompiledTemplate, type TemplatesServiceDeps } from './templates-service';
export { compileTemplate, renderRow, templateFields, hashTemplate, MAX_RENDERED_CHARS, type RenderedText, type RowRoles, type TemplateLike } from './render';
export type { DatasetReader, ReaderRow, ReaderVersionFacts, SplitName } from './dataset-reader';
