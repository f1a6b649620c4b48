/** Every data-testid of the data source's editors. */
export const testIds = {
  configEditor: {
    url: 'hydra-config-url',
    apiToken: 'hydra-config-api-token',
    defaultDeployment: 'hydra-config-default-deployment',
  },
  queryEditor: {
    queryType: 'hydra-query-type',
    deployment: 'hydra-query-deployment',
    plotType: 'hydra-query-plot-type',
    group: 'hydra-query-group',
    limit: 'hydra-query-limit',
    live: 'hydra-query-live',
  },
  variableEditor: {
    kind: 'hydra-variable-kind',
    deployment: 'hydra-variable-deployment',
    group: 'hydra-variable-group',
    description: 'hydra-variable-description',
  },
};
