// The editor's inline parse marker: the locator lives in shared, where the renderer's error messages use it too.
export { templateDiagnostic, type TemplateDiagnostic } from '../../../shared/template-syntax';
