import React, { useState, type ChangeEvent } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Modal, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { PromotionGate } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

/** The server asks a reason of at least this many characters to promote a worse version. */
export const MIN_REASON = 3;

interface Props {
  /** e.g. v4 */
  name: string;
  gate: PromotionGate;
  busy: boolean;
  error?: string;
  onConfirm: (reason: string) => void;
  onDismiss: () => void;
}

/**
 * What the promotion gate said of a version it does not let through on its own: a worse one is promoted only with a
 * reason, which goes into the activation history; one that learned nothing can never be.
 */
export function PromoteModal({ name, gate, busy, error, onConfirm, onDismiss }: Props) {
  const styles = useStyles2(getStyles);
  const [reason, setReason] = useState('');
  const trivial = gate.verdict === 'trivial';
  const enough = reason.trim().length >= MIN_REASON;
  return (
    <Modal
      isOpen
      title={trivial ? `${name} can never be activated` : `${name} is worse than the active version`}
      onDismiss={onDismiss}
    >
      <div data-testid={testIds.library.gate}>
        {trivial ? (
          <p>
            It does no better than always answering {gate.trivialAnswer?.answer ?? 'the most frequent class'}
            {gate.trivialAnswer && ` (accuracy ${gate.trivialAnswer.accuracy.toFixed(2)} on its test split)`}: it
            learned nothing from its labels. Label more images, or train with other settings.
          </p>
        ) : (
          <p>
            On the {gate.sharedTestImages} test images both versions were tested on, it falls behind by more than the
            margin of {gate.margin}. It can still be promoted, for a reason that the activation history keeps.
          </p>
        )}
        <ul className={styles.reasons}>
          {gate.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </div>
      {!trivial && (
        <Field label="Reason" description={`Why promote it anyway (at least ${MIN_REASON} characters)`}>
          <Input
            data-testid={testIds.library.gateReason}
            autoFocus
            maxLength={500}
            value={reason}
            onChange={(event: ChangeEvent<HTMLInputElement>) => setReason(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && enough && !busy && onConfirm(reason.trim())}
          />
        </Field>
      )}
      {error && <Alert title="Not promoted">{error}</Alert>}
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onDismiss}>
          {trivial ? 'Close' : 'Cancel'}
        </Button>
        {!trivial && (
          <Button
            variant="destructive"
            data-testid={testIds.library.gateConfirm}
            disabled={!enough || busy}
            onClick={() => onConfirm(reason.trim())}
          >
            Promote {name} anyway
          </Button>
        )}
      </Modal.ButtonRow>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  reasons: css({ margin: theme.spacing(1, 0, 2, 2) }),
});
