import type { Config } from '../config.ts';

/** The process variables Hydra writes, named from the configured prefix and template in one place. */
export interface PvNames {
  /** A plot type's verdict PV: p(Good) − p(Bad) after every verdict. */
  plot(deployment: string, plotType: string): string;
  /** A plot type's (or a group's) alarm PV, set by Grafana alert notifications: 1 firing, 0 resolved. */
  alarm(deployment: string, plotTypeOrGroup: string): string;
  /** How many plot types of the deployment are confirmed Bad now. */
  badCount(deployment: string): string;
  /** The name of the deployment's last plot type confirmed Bad (a string PV). */
  lastBad(deployment: string): string;
  /** The message of the last Grafana alert notification (a string PV). */
  alertMessage(): string;
}

export function pvNames(config: Pick<Config, 'HYDRA_EPICS_PV_PREFIX' | 'HYDRA_EPICS_PLOT_PV'>): PvNames {
  const prefix = config.HYDRA_EPICS_PV_PREFIX;
  const plot = (deployment: string, plotType: string) =>
    config.HYDRA_EPICS_PLOT_PV.replaceAll('{prefix}', prefix)
      .replaceAll('{deployment}', deployment)
      .replaceAll('{plot}', plotType);
  return {
    plot,
    alarm: (deployment, plotTypeOrGroup) => `${plot(deployment, plotTypeOrGroup)}:ALARM`,
    badCount: (deployment) => `${prefix}${deployment}:BAD_COUNT`,
    lastBad: (deployment) => `${prefix}${deployment}:LAST_BAD`,
    alertMessage: () => `${prefix}ALERT_MESSAGE`,
  };
}
