export { tableToCsv } from './csv';
export { documentToMarkdown } from './markdown';
export { documentToHtml } from './html';
export { chartToSvg } from './svg';
export type { ChartSize } from './svg';
export { chartToPng } from './png';
export { formatDelta, formatValue } from './format';
