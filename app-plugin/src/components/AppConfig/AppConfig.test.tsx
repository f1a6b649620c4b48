import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { installGrafanaRuntime } from '@hydra/plugin-kit/testing';
import { testIds } from '../../testIds';
import type { AppSettings } from '../../types';
import { AppConfig } from './AppConfig';

const props = (meta: Partial<AppPluginMeta<AppSettings>>) =>
  ({
    plugin: { meta: { id: 'hydra-dqm-app', enabled: true, jsonData: {}, ...meta } },
    query: {},
  }) as unknown as PluginConfigPageProps<AppPluginMeta<AppSettings>>;

describe('App configuration page', () => {
  it('asks for the server URL before it saves, and never shows a stored token', () => {
    render(<AppConfig {...props({ secureJsonFields: { apiToken: true } })} />);
    expect(screen.getByTestId(testIds.config.save)).toBeDisabled();
    expect(screen.getByTestId(testIds.config.apiToken)).toHaveValue('configured');
    fireEvent.change(screen.getByTestId(testIds.config.url), { target: { value: 'http://hydra:8080' } });
    expect(screen.getByTestId(testIds.config.save)).toBeEnabled();
  });

  it('says what to fix when Grafana cannot save or reach the server', async () => {
    // No Grafana here: the settings request fails as an unreachable upstream does.
    installGrafanaRuntime();
    render(<AppConfig {...props({ jsonData: { url: 'http://127.0.0.1:9' } })} />);
    fireEvent.click(screen.getByTestId(testIds.config.save));
    expect(await screen.findByTestId(testIds.config.status)).toHaveTextContent('Not connected');
    expect(screen.getByTestId(testIds.config.status)).toHaveTextContent('http://127.0.0.1:9');
  });
});
