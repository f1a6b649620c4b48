import React from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import { LabelerPage } from '../../pages/Labeler/LabelerPage';
import { LogPage } from '../../pages/Log/LogPage';
import { NewsPage } from '../../pages/News/NewsPage';
import { LibraryPage } from '../../pages/Library/LibraryPage';
import { RunsPage } from '../../pages/Runs/RunsPage';
import { BrowsePage } from '../../pages/Browse/BrowsePage';
import { SummaryPage } from '../../pages/Summary/SummaryPage';
import { IncidentsPage } from '../../pages/Incidents/IncidentsPage';
import { StatusPage } from '../../pages/Status/StatusPage';
import { AppProvider } from './AppContext';

/** The app's pages under /a/hydra-dqm-app/: Grafana renders this inside its router. */
export function App(_props: AppRootProps) {
  return (
    <AppProvider>
      <AppRoutes />
    </AppProvider>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path={ROUTES.labeler} element={<LabelerPage />} />
      <Route path={ROUTES.log} element={<LogPage />} />
      <Route path={ROUTES.news} element={<NewsPage />} />
      <Route path={ROUTES.library} element={<LibraryPage />} />
      <Route path={ROUTES.runs} element={<RunsPage />} />
      <Route path={ROUTES.browse} element={<BrowsePage />} />
      <Route path={ROUTES.summary} element={<SummaryPage />} />
      <Route path={ROUTES.incidents} element={<IncidentsPage />} />
      <Route path={ROUTES.status} element={<StatusPage />} />
      <Route path="*" element={<Navigate to={ROUTES.labeler} replace />} />
    </Routes>
  );
}
