import React from 'react';
import { InlineField, Select } from '@grafana/ui';
import type { Deployment } from '@hydra/inference-server/api';
import { useSearchParams } from '../../hooks/useSearchParams';

/**
 * The page's deployment, kept in the URL (?deployment=NAME) so a link or a reload shows the same one; without it,
 * the first deployment, as the Labeler starts on the first plot type's.
 */
export function useDeploymentParam(deployments?: Deployment[]): [string | undefined, (name: string) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('deployment') ?? undefined;
  const deployment = asked ?? deployments?.[0]?.name;
  const choose = (name: string) => setParams({ deployment: name });
  return [deployment, choose];
}

interface Props {
  deployments?: Deployment[];
  value?: string;
  onChange: (name: string) => void;
  'data-testid'?: string;
}

/** The deployment select the pages share: by title (its name when untitled), as the Labeler offers them. */
export function DeploymentPicker({ deployments, value, onChange, ...props }: Props) {
  return (
    <InlineField label="Deployment">
      <Select
        data-testid={props['data-testid']}
        aria-label="Deployment"
        width={24}
        options={deployments?.map((d) => ({ label: d.title || d.name, value: d.name })) ?? []}
        value={value ?? null}
        onChange={(option) => option.value && onChange(option.value)}
      />
    </InlineField>
  );
}
