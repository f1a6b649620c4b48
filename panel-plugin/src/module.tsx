import { PanelPlugin } from '@grafana/data';
import { PlotGridPanel } from './components/PlotGridPanel/PlotGridPanel';
import type { PanelOptions } from './types';

export const plugin = new PanelPlugin<PanelOptions>(PlotGridPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'news',
      name: 'News line',
      description: 'A line for the shift crew, shown in the header',
      defaultValue: '',
    })
    .addNumberInput({
      path: 'historyLength',
      name: 'History length',
      description: "Verdicts in the viewer's history strip",
      defaultValue: 20,
    })
    .addBooleanSwitch({
      path: 'speakNames',
      name: 'Speak plot names',
      description: 'Say the plot name after the alarm tone',
      defaultValue: true,
    })
    .addTextInput({
      path: 'labelerUrl',
      name: 'Labeler URL',
      description: '"Open in the labeler" goes here; {imageId} and {plotType} are filled in',
      defaultValue: '/a/hydra-dqm-app/labeler?imageId={imageId}&plotType={plotType}',
    })
);
