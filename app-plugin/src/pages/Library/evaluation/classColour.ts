import type { GrafanaTheme2 } from '@grafana/data';
import type { PlotClass } from '@hydra/inference-server/api';

/** A class's colour: the plot type's for it where it has one, else one of the theme's palette by the class's index. */
export function classColour(theme: GrafanaTheme2, plotClasses: PlotClass[] | undefined, name: string, index: number) {
  const palette = theme.visualization.palette;
  return (
    plotClasses?.find((c) => c.name === name)?.colour ??
    theme.visualization.getColorByName(palette[index % palette.length]!)
  );
}
