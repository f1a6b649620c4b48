// The frame contract: the data source writes these frames, the panel (and the app) read them.
export { PLOTS_FRAME_NAME, PlotField, THUMBNAIL_WIDTH, type HydraFrameMeta } from './fields';
export { plotsFrame } from './plotsFrame';
export { columnsOf, hydraFrame, type Column } from './table';
