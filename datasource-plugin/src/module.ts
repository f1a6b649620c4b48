import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import { DataSource } from './datasource';
import type { HydraOptions, HydraQuery, HydraSecureOptions } from './types';

export const plugin = new DataSourcePlugin<DataSource, HydraQuery, HydraOptions, HydraSecureOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
