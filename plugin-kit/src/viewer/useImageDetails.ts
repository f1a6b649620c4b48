import { useCallback, useEffect, useState } from 'react';
import type { Prediction } from '@hydra/inference-server/api';
import type { HydraClient } from '../client/client';
import { describeError, HydraApiError, isMissingRoute, unavailableMessage } from '../client/errors';
import { imageUrl } from '../client/urls';

/** The image whose details to load: its plot type, and how many recent verdicts of that plot type. */
export interface ImageDetailsOptions {
  deployment: string;
  plotTypeId: number;
  plotType: string;
  imageId: number | null;
  historyLength: number;
}

/** The plot type's reference: loading, an image, none set yet, or why it cannot be shown. */
export type ReferenceState =
  { kind: 'loading' } | { kind: 'image'; url: string } | { kind: 'none' } | { kind: 'unavailable'; message: string };

/** The outcome of the last action, for an alert. */
export type ActionStatus = { kind: 'success' | 'error'; text: string } | undefined;

/** Who labels: a shifter overriding a verdict, or an expert labelling for training. */
export type LabelSource = 'override' | 'labeler';

const NOT_SAVED: Record<LabelSource, string> = { override: 'Override not saved.', labeler: 'Label not saved.' };

/**
 * What a viewer shows around one image and what it can do with it: the plot type's reference and recent verdicts,
 * labelling the image and making it the reference, with the outcome of the last action.
 */
export function useImageDetails(client: HydraClient, options: ImageDetailsOptions) {
  const { deployment, plotTypeId, plotType, imageId, historyLength } = options;
  const [reference, setReference] = useState<ReferenceState>({ kind: 'loading' });
  const [history, setHistory] = useState<Prediction[]>([]);
  const [status, setStatus] = useState<ActionStatus>();

  useEffect(() => {
    let cancelled = false;
    client
      .reference(plotTypeId)
      .then((ref) => !cancelled && setReference({ kind: 'image', url: imageUrl(client.apiUrl, ref.imageId) }))
      .catch((error) => !cancelled && setReference(referenceFailure(error)));
    client
      .predictions({ deployment, plotType, limit: historyLength })
      .then(({ items }) => !cancelled && setHistory(items))
      .catch(() => !cancelled && setHistory([]));
    return () => {
      cancelled = true;
    };
  }, [client, deployment, plotTypeId, plotType, imageId, historyLength]);

  const label = useCallback(
    async (className: string, source: LabelSource) => {
      if (imageId === null) {
        return;
      }
      try {
        await client.label([imageId], className, source);
        setStatus({ kind: 'success', text: `Labelled ${className} (${source}). The label is stored for training.` });
      } catch (error) {
        setStatus({ kind: 'error', text: `${NOT_SAVED[source]} ${describeError(error)}` });
      }
    },
    [client, imageId]
  );

  const makeReference = useCallback(async () => {
    if (imageId === null) {
      return;
    }
    try {
      const ref = await client.setReference(plotTypeId, imageId);
      setReference({ kind: 'image', url: imageUrl(client.apiUrl, ref.imageId) });
      setStatus({ kind: 'success', text: 'This image is now the reference of its plot type.' });
    } catch (error) {
      setStatus({ kind: 'error', text: `Reference not set. ${describeError(error)}` });
    }
  }, [client, plotTypeId, imageId]);

  const clearStatus = useCallback(() => setStatus(undefined), []);

  return { reference, history, status, clearStatus, label, makeReference };
}

/** A 404 from the reference route itself means no reference is set yet; anything else is said as it is. */
function referenceFailure(error: unknown): ReferenceState {
  const e = HydraApiError.from(error, '');
  return e.kind === 'not_found' && !isMissingRoute(e)
    ? { kind: 'none' }
    : { kind: 'unavailable', message: unavailableMessage(e, 'The reference') };
}
