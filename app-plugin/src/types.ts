/** The app's settings (plugin settings jsonData): where Grafana's server reaches the inference server. */
export interface AppSettings {
  url?: string;
}

/** Kept encrypted by Grafana and added to proxied requests by the route; the browser never sees it. */
export interface AppSecureSettings {
  apiToken?: string;
}
