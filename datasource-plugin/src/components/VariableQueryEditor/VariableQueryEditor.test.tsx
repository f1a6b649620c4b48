import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DataSource } from '../../datasource';
import { VARIABLE_REF_ID } from '../../migrations';
import { testIds } from '../../testIds';
import type { HydraVariableTarget } from '../../types';
import { VariableQueryEditor } from './VariableQueryEditor';

/** The editor as Grafana renders it; `query` as saved, which for old dashboards is the text form. */
function renderEditor(query: HydraVariableTarget | string) {
  const onChange = vi.fn();
  const props = { datasource: {} as DataSource, onRunQuery: vi.fn(), onChange };
  const view = render(<VariableQueryEditor {...props} query={query as HydraVariableTarget} />);
  const rerender = (next: HydraVariableTarget) => view.rerender(<VariableQueryEditor {...props} query={next} />);
  return { onChange, rerender };
}

const description = () => screen.getByTestId(testIds.variableEditor.description).textContent;

describe('VariableQueryEditor', () => {
  it('changing the kind calls onChange with the typed query, and says what the kind lists', () => {
    const { onChange, rerender } = renderEditor({ refId: 'A', kind: 'deployments' });
    expect(description()).toMatch(/names of all deployments/);
    expect(screen.queryByTestId(testIds.variableEditor.deployment)).not.toBeInTheDocument();

    fireEvent.click(screen.getByLabelText('Groups'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', kind: 'groups', deployment: '' });
    rerender(onChange.mock.lastCall![0]);
    expect(description()).toMatch(/plot groups of one deployment/);
    expect(screen.queryByTestId(testIds.variableEditor.group)).not.toBeInTheDocument();

    // A text field reports on blur (each change re-runs the variable's query), and accepts $variables.
    fireEvent.change(screen.getByTestId(testIds.variableEditor.deployment), { target: { value: '$deployment' } });
    expect(onChange).toHaveBeenCalledTimes(1);
    fireEvent.blur(screen.getByTestId(testIds.variableEditor.deployment));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', kind: 'groups', deployment: '$deployment' });
    rerender(onChange.mock.lastCall![0]);

    fireEvent.click(screen.getByLabelText('Plot types'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', kind: 'plotTypes', deployment: '$deployment' });
    rerender(onChange.mock.lastCall![0]);
    fireEvent.change(screen.getByTestId(testIds.variableEditor.group), { target: { value: 'CDC' } });
    fireEvent.blur(screen.getByTestId(testIds.variableEditor.group));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      kind: 'plotTypes',
      deployment: '$deployment',
      group: 'CDC',
    });
    expect(onChange).toHaveBeenCalledTimes(4);
  });

  it('shows a text query saved before the editor in the typed form, and saves it so', () => {
    const { onChange } = renderEditor('plotTypes($deployment, CDC)');
    expect(screen.getByLabelText('Plot types')).toBeChecked();
    expect(screen.getByTestId(testIds.variableEditor.deployment)).toHaveValue('$deployment');
    expect(screen.getByTestId(testIds.variableEditor.group)).toHaveValue('CDC');
    expect(onChange).toHaveBeenCalledExactlyOnceWith({
      refId: VARIABLE_REF_ID,
      kind: 'plotTypes',
      deployment: '$deployment',
      group: 'CDC',
    });
  });

  it('does not call onChange when a field is left unchanged', () => {
    const { onChange } = renderEditor({ refId: 'A', kind: 'groups', deployment: 'demo' });
    fireEvent.blur(screen.getByTestId(testIds.variableEditor.deployment));
    expect(onChange).not.toHaveBeenCalled();
  });
});
