import React from 'react';
import { InlineField, Select } from '@grafana/ui';
import type { Deployment, PlotTypeInfo } from '@hydra/inference-server/api';

export interface PlotTypePickerProps {
  deployments?: Deployment[];
  plotTypes?: PlotTypeInfo[];
  deployment?: string;
  plotTypeId?: number;
  /** A deployment picked selects its first plot type. */
  onPlotType: (plotTypeId: number | undefined) => void;
  testIds: { deployment: string; plotType: string };
}

/** Deployment and plot type, by their titles: the first fields of the pages that work on one plot type. */
export function PlotTypePicker({
  deployments,
  plotTypes,
  deployment,
  plotTypeId,
  onPlotType,
  testIds,
}: PlotTypePickerProps) {
  return (
    <>
      <InlineField label="Deployment">
        <Select
          data-testid={testIds.deployment}
          aria-label="Deployment"
          width={24}
          options={deployments?.map((d) => ({ label: d.title || d.name, value: d.name })) ?? []}
          value={deployment ?? null}
          onChange={(option) => onPlotType(plotTypes?.find((p) => p.deployment === option.value)?.id)}
        />
      </InlineField>
      <InlineField label="Plot type">
        <Select
          data-testid={testIds.plotType}
          aria-label="Plot type"
          width={30}
          options={
            plotTypes
              ?.filter((p) => p.deployment === deployment)
              .map((p) => ({ label: p.title || p.name, value: p.id, description: p.name })) ?? []
          }
          value={plotTypeId ?? null}
          onChange={(option) => onPlotType(option.value)}
        />
      </InlineField>
    </>
  );
}
