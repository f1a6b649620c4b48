import React, { useState, type ChangeEvent } from 'react';
import { Button, Field, Modal, TextArea } from '@grafana/ui';
import type { LogEntry } from '@hydra/plugin-kit/client';
import { testIds } from '../../testIds';

interface Props {
  entry: LogEntry;
  busy: boolean;
  onConfirm: (comment: string) => void;
  onDismiss: () => void;
}

/** Acknowledge a verdict, with an optional comment that the server stores with who and when. */
export function AcknowledgeModal({ entry, busy, onConfirm, onDismiss }: Props) {
  const [comment, setComment] = useState('');
  return (
    <Modal
      title={`Acknowledge ${entry.verdict} of ${entry.plotType}, run ${entry.run ?? '–'}`}
      isOpen
      onDismiss={onDismiss}
    >
      <Field label="Comment (optional)" description="Shown to everyone with the acknowledgement; up to 500 characters.">
        <TextArea
          data-testid={testIds.log.comment}
          maxLength={500}
          value={comment}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => setComment(event.target.value)}
        />
      </Field>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          Cancel
        </Button>
        <Button data-testid={testIds.log.confirmAck} disabled={busy} onClick={() => onConfirm(comment.trim())}>
          Acknowledge
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
