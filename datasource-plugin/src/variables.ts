import { CustomVariableSupport, type DataQueryRequest, type MetricFindValue } from '@grafana/data';
import { from, map, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { HydraVariableTarget } from './types';

/** Query variables with their own editor: deployments, a deployment's groups, or its plot types. */
export class HydraVariableSupport extends CustomVariableSupport<DataSource, HydraVariableTarget> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  /** One request, one target: Grafana may still hand over a saved text query, which metricFindQuery migrates. */
  query = (request: DataQueryRequest<HydraVariableTarget>): Observable<{ data: MetricFindValue[] }> => {
    const values = this.datasource.metricFindQuery(request.targets[0] ?? '', { scopedVars: request.scopedVars });
    return from(values).pipe(map((data) => ({ data })));
  };
}
