import React, { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Field, IconButton, Input, LoadingPlaceholder, Select, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import { describeError, type NewsList } from '@hydra/plugin-kit/client';
import { useApp } from '../../components/App/AppContext';
import { ActingAs } from '../../components/ActingAs/ActingAs';
import { RightsNotice } from '../../components/RightsNotice/RightsNotice';
import { useCatalog } from '../../hooks/useCatalog';
import { testIds } from '../../testIds';

/** The shift News: one-line items that the plot grid's header shows; admins post them, with an optional expiry. */
export function NewsPage() {
  const styles = useStyles2(getStyles);
  const { client, can } = useApp();
  const { deployments } = useCatalog(client);
  const [news, setNews] = useState<{ list?: NewsList; error?: string }>({});
  const [text, setText] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [deploymentId, setDeploymentId] = useState<number>();
  const [postError, setPostError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      client.allNews().then(
        (list) => setNews({ list }),
        (error) => setNews({ error: describeError(error) })
      ),
    [client]
  );
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setPostError(undefined);
    try {
      await work();
      await load();
      return true;
    } catch (error) {
      setPostError(describeError(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const post = async () => {
    const expiry = expiresAt ? new Date(expiresAt).toISOString() : undefined;
    if (await act(() => client.postNews(text.trim(), deploymentId, expiry))) {
      setText('');
      setExpiresAt('');
    }
  };
  const deploymentName = (id: number | null) =>
    id === null ? 'all deployments' : (deployments?.find((d) => d.id === id)?.name ?? 'a deployment');

  return (
    <PluginPage>
      <div className={styles.page}>
        <RightsNotice right="admin" actions="posting and removing news" />
        <ActingAs />
        {can('admin') && (
          <div className={styles.form}>
            <Field label="News line" description="One line for the shift crew, up to 200 characters.">
              <Input
                data-testid={testIds.news.text}
                maxLength={200}
                width={70}
                value={text}
                onChange={(event: ChangeEvent<HTMLInputElement>) => setText(event.target.value.replace(/\n/g, ' '))}
              />
            </Field>
            <Field label="For" description="Empty: every deployment">
              <Select
                aria-label="News deployment"
                width={24}
                isClearable
                placeholder="all deployments"
                options={deployments?.map((d) => ({ label: d.title || d.name, value: d.id })) ?? []}
                value={deploymentId ?? null}
                onChange={(option) => setDeploymentId(option?.value)}
              />
            </Field>
            <Field label="Expires" description="Optional">
              <Input
                data-testid={testIds.news.expires}
                type="datetime-local"
                width={26}
                value={expiresAt}
                onChange={(event: ChangeEvent<HTMLInputElement>) => setExpiresAt(event.target.value)}
              />
            </Field>
            <div>
              <Button data-testid={testIds.news.post} disabled={!text.trim() || busy} onClick={post}>
                Post
              </Button>
            </div>
            {postError && <Alert title="Not posted">{postError}</Alert>}
          </div>
        )}
        {news.error && (
          <Alert title="Cannot load the news" data-testid={testIds.news.error}>
            {news.error}
          </Alert>
        )}
        {!news.error && !news.list && <LoadingPlaceholder text="Loading the news…" />}
        {news.list?.items.length === 0 && (
          <Alert severity="info" title="No news" data-testid={testIds.news.empty}>
            Nothing posted{can('admin') ? ': a line posted here shows in the plot grid’s header.' : ' by the admins.'}
          </Alert>
        )}
        {news.list && news.list.items.length > 0 && (
          <ul className={styles.list} data-testid={testIds.news.list}>
            {news.list.items.map((item) => (
              <li key={item.id} data-testid={testIds.news.item(item.id)} className={styles.item}>
                <span className={item.id === news.list?.current?.id ? styles.current : undefined}>{item.text}</span>
                <span className={styles.secondary}>
                  {item.author}, {dateTimeFormat(item.createdAt)}, for {deploymentName(item.deploymentId)}
                  {item.expiresAt ? `, until ${dateTimeFormat(item.expiresAt)}` : ''}
                </span>
                {can('admin') && (
                  <IconButton
                    name="trash-alt"
                    data-testid={testIds.news.delete(item.id)}
                    tooltip="Remove this item"
                    disabled={busy}
                    onClick={() => act(() => client.deleteNews(item.id))}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  form: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0, 2), alignItems: 'flex-end' }),
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  item: css({
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  current: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
  secondary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
