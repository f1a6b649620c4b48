import React, { type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { useHref, useNavigate } from 'react-router';

type Props = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  /** A path relative to the current route, e.g. ../browse?run=1 */
  to: string;
};

/**
 * A link to another page of the app, followed inside Grafana's router (no reload); a modified click opens it in a
 * new tab as any link does. react-router's own Link is in react-router-dom, which the app does not bundle.
 */
export function AppLink({ to, onClick, ...props }: Props) {
  const href = useHref(to);
  const navigate = useNavigate();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a {...props} href={href} onClick={follow} />;
}
