import type { GrafanaTheme2 } from '@grafana/data';
import { css } from '@emotion/css';

/** An image with its caption, or a message where the image is not (yet) there: the Grad-CAM and reference figures. */
export const getFigureStyles = (theme: GrafanaTheme2) => ({
  figure: css({
    flex: 1,
    margin: 0,
    minWidth: 0,
    figcaption: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
  }),
  image: css({ width: '100%', display: 'block', background: theme.colors.background.canvas }),
  message: css({
    padding: theme.spacing(4),
    color: theme.colors.text.secondary,
    background: theme.colors.background.canvas,
  }),
});
