import React, { useState, type ChangeEvent } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, RadioButtonGroup, Select, Switch, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { Architecture, TrainOptions } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

/** Every architecture the server trains (the type makes a new one a compile error here), and when to pick it. */
const ARCHITECTURES: Record<Architecture, string> = {
  'small-cnn': 'Trains in minutes on a CPU',
  inceptionv3: 'Wants a GPU; 299×299 natively',
  vgg16: 'Wants a GPU; 224×224 natively',
};

interface FormState {
  architecture?: Architecture;
  side: string;
  channels: 1 | 3;
  epochs: string;
  batchSize: string;
  augment: boolean;
  balanceClasses: boolean;
  adaptToSmallSet: boolean;
  baseWeights: string;
  trainPercent: string;
  activate: boolean;
}

const INITIAL: FormState = {
  side: '',
  channels: 3,
  epochs: '20',
  batchSize: '16',
  augment: true,
  balanceClasses: true,
  adaptToSmallSet: true,
  baseWeights: '',
  trainPercent: '100',
  activate: false,
};

/** The form's on/off settings, in the order shown. */
const SWITCHES: ReadonlyArray<{
  key: 'augment' | 'balanceClasses' | 'adaptToSmallSet' | 'activate';
  label: string;
  description: string;
}> = [
  { key: 'augment', label: 'Augmentation', description: 'Shifts and brightness' },
  { key: 'balanceClasses', label: 'Class balance', description: 'Weigh rare classes up' },
  {
    key: 'adaptToSmallSet',
    label: 'Adapt to a small set',
    description: 'Under 4 batches: smaller batches, at least 100 steps',
  },
  { key: 'activate', label: 'Activate when done', description: 'If the gate lets it through' },
];

/** The request of the form, or what is wrong with it. */
function toRequest(form: FormState): TrainOptions | string {
  const whole = (text: string, name: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} is a whole number from ${min} to ${max}`);
    }
    return value;
  };
  try {
    const side = form.side.trim() ? whole(form.side, 'Input size', 8, 1024) : undefined;
    const percent = whole(form.trainPercent, 'Training share', 1, 100);
    return {
      architecture: form.architecture,
      inputShape: side === undefined ? undefined : [side, side, form.channels],
      epochs: whole(form.epochs, 'Epochs', 1, 500),
      batchSize: whole(form.batchSize, 'Batch size', 1, 512),
      augment: form.augment,
      balanceClasses: form.balanceClasses,
      adaptToSmallSet: form.adaptToSmallSet,
      baseWeights: form.baseWeights.trim() || undefined,
      trainFraction: percent === 100 ? undefined : percent / 100,
      activate: form.activate,
    };
  } catch (error) {
    return (error as Error).message;
  }
}

/** The "Train new version" form: what POST /models/:id/train takes, with the server's defaults. */
export function TrainForm({ busy, onTrain }: { busy: boolean; onTrain: (request: TrainOptions) => void }) {
  const styles = useStyles2(getStyles);
  const [form, setForm] = useState<FormState>(INITIAL);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: 'side' | 'epochs' | 'batchSize' | 'baseWeights' | 'trainPercent') => ({
    value: form[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(key, event.target.value),
  });
  const request = toRequest(form);
  return (
    <div className={styles.form} data-testid={testIds.library.train}>
      <Field label="Architecture" description="Empty: the server's default for its backend">
        <Select
          aria-label="Architecture"
          width={24}
          isClearable
          placeholder="server default"
          options={Object.entries(ARCHITECTURES).map(([value, description]) => ({
            label: value,
            value: value as Architecture,
            description,
          }))}
          value={form.architecture ?? null}
          onChange={(option) => set('architecture', option?.value)}
        />
      </Field>
      <Field label="Input size" description="Pixels a side; empty: the architecture's">
        <Input aria-label="Input size" width={12} placeholder="64" {...text('side')} />
      </Field>
      <Field label="Colour">
        <RadioButtonGroup<1 | 3>
          options={[
            { label: 'RGB', value: 3 },
            { label: 'Grey', value: 1 },
          ]}
          value={form.channels}
          onChange={(value) => set('channels', value)}
        />
      </Field>
      <Field label="Epochs" description="At most; early stopping may end sooner">
        <Input aria-label="Epochs" width={10} {...text('epochs')} />
      </Field>
      <Field label="Batch size">
        <Input aria-label="Batch size" width={10} {...text('batchSize')} />
      </Field>
      <Field label="Training share %" description="Of the training split, per class">
        <Input aria-label="Training share" width={10} {...text('trainPercent')} />
      </Field>
      <Field label="Base weights" description="A folder under weights/ (transfer learning)">
        <Input aria-label="Base weights" width={20} placeholder="none" {...text('baseWeights')} />
      </Field>
      {SWITCHES.map(({ key, label, description }) => (
        <Field key={key} label={label} description={description}>
          <Switch aria-label={label} value={form[key]} onChange={() => set(key, !form[key])} />
        </Field>
      ))}
      <div className={styles.submit}>
        <Button
          data-testid={testIds.library.trainStart}
          icon="play"
          disabled={busy || typeof request === 'string'}
          tooltip={typeof request === 'string' ? request : undefined}
          onClick={() => typeof request !== 'string' && onTrain(request)}
        >
          Start training
        </Button>
        {typeof request === 'string' && <span className={styles.invalid}>{request}</span>}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0, 2), alignItems: 'flex-end' }),
  submit: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', marginBottom: theme.spacing(2) }),
  invalid: css({ color: theme.colors.error.text }),
});
