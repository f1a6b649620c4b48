import type { IncomingHttpHeaders } from 'node:http';
import type { Role } from '../../enums.ts';
import { InvalidInputError } from '../../errors.ts';

/** The header Grafana's plugin and data source proxies set to the signed-in user's login (`send_user_header`). */
export const GRAFANA_USER_HEADER = 'x-grafana-user';

/** The longest login taken from the header: Grafana's own user login column is shorter. */
const MAX_LOGIN_LENGTH = 200;

/** Who a request acts for: what labels, batches, acknowledgements and news record. */
export interface Actor {
  /** The Grafana user a Grafana proxy token speaks for, else the token's own name. */
  name: string;
  /** The token's role: it bounds what a Grafana user may do through it. */
  role: Role;
  /** The token the request came with. */
  token: string;
  /** The login Grafana named, when the token is a Grafana proxy token and Grafana sent one. */
  grafanaUser: string | null;
}

/** What the token says about itself (the auth plugin's principal). */
interface Token {
  name: string;
  role: Role;
  grafanaProxy: boolean;
}

/**
 * The acting user. Only a Grafana proxy token names one, with `X-Grafana-User` (Grafana removes the header a browser
 * sends and sets its own); from any other token the header is ignored, never trusted. Without the header (Grafana's
 * `send_user_header` is off, or an anonymous user) the token acts as itself.
 */
export function actorOf(token: Token, headers: IncomingHttpHeaders): Actor {
  const actor = { name: token.name, role: token.role, token: token.name, grafanaUser: null };
  const raw = headers[GRAFANA_USER_HEADER];
  if (!token.grafanaProxy || typeof raw !== 'string') return actor;
  // Node reads header bytes as Latin-1; Grafana writes the login's UTF-8 bytes.
  const login = Buffer.from(raw, 'latin1').toString('utf8').trim();
  if (login === '') return actor;
  if (login.length > MAX_LOGIN_LENGTH || /[\p{Cc}\uFFFD]/u.test(login)) {
    throw new InvalidInputError(
      `the ${GRAFANA_USER_HEADER} header is not a Grafana login (at most ${MAX_LOGIN_LENGTH} characters of UTF-8 text)`,
    );
  }
  return { ...actor, name: login, grafanaUser: login };
}
