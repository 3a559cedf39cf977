// Reports: stored report documents, their kinds' sources, renderers and lineage verification.
export { ReportsService, exportDocument, manifestHash, reportFileName } from './reports-service';
export type { ReportSource } from './report-source';
export { ExperimentReportSource } from './experiment-source';
export { verifyLineage } from './verify-lineage';
