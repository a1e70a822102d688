import { lazy, Suspense } from "react";
import { Link, Navigate, Route, Routes, useLocation } from "react-router-dom";

import { AnnotatePage } from "./features/annotate/AnnotatePage";
import { LoginPage } from "./features/account/LoginPage";
import { ProjectHomePage } from "./features/projects/ProjectHomePage";
import { ProjectsPage } from "./features/projects/ProjectsPage";
import { ExportPage } from "./features/admin/ExportPage";
import { ImportPage } from "./features/admin/ImportPage";
import { LabelsPage } from "./features/admin/LabelsPage";
import { MembersPage } from "./features/admin/MembersPage";
import { PreannotatePage } from "./features/admin/PreannotatePage";
import { ProgressPage } from "./features/admin/ProgressPage";
import { AssignmentPage } from "./features/admin/AssignmentPage";
import { AdjudicatePage } from "./features/review/AdjudicatePage";
import { ReviewQueuePage } from "./features/review/ReviewQueuePage";
import { SettingsPage } from "./features/admin/SettingsPage";
import { SpeakersPage } from "./features/speakers/SpeakersPage";
import { TokensPage } from "./features/account/TokensPage";
import { WebhooksPage } from "./features/webhooks/WebhooksPage";
import { SessionProvider, useSession } from "./shared/hooks/session";

// Its charts (nivo) are a chunk of their own, fetched when the page is opened.
const AgreementPage = lazy(() => import("./features/agreement/AgreementPage"));
// Cytoscape.js likewise stays in the Graph page's own chunk.
const GraphPage = lazy(() => import("./features/graph/GraphPage"));

function Shell() {
  const { me, loading, signOut } = useSession();
  const location = useLocation();
  if (loading) return <p className="loading">Loading…</p>;
  if (!me && location.pathname !== "/login") {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return (
    <>
      {me && (
        <header className="topbar">
          <Link to="/" className="brand">
            annotator
          </Link>
          <nav>
            <Link to="/tokens">API tokens</Link>
            <span className="who">{me.username}</span>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </nav>
        </header>
      )}
      <main>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<ProjectsPage />} />
          <Route path="/projects" element={<ProjectsPage />} />
          <Route path="/projects/:projectId" element={<ProjectHomePage />} />
          <Route path="/projects/:projectId/articles/:articleId" element={<AnnotatePage />} />
          <Route path="/projects/:projectId/articles/:articleId/review" element={<AdjudicatePage />} />
          <Route path="/projects/:projectId/articles/:articleId/gold" element={<AnnotatePage gold />} />
          <Route path="/projects/:projectId/review" element={<ReviewQueuePage />} />
          <Route
            path="/projects/:projectId/agreement"
            element={
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <AgreementPage />
              </Suspense>
            }
          />
          <Route
            path="/projects/:projectId/graph"
            element={
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <GraphPage />
              </Suspense>
            }
          />
          <Route path="/projects/:projectId/settings" element={<SettingsPage />} />
          <Route path="/projects/:projectId/speakers" element={<SpeakersPage />} />
          <Route path="/projects/:projectId/labels" element={<LabelsPage />} />
          <Route path="/projects/:projectId/members" element={<MembersPage />} />
          <Route path="/projects/:projectId/assignment" element={<AssignmentPage />} />
          <Route path="/projects/:projectId/import" element={<ImportPage />} />
          <Route path="/projects/:projectId/preannotate" element={<PreannotatePage />} />
          <Route path="/projects/:projectId/progress" element={<ProgressPage />} />
          <Route path="/projects/:projectId/export" element={<ExportPage />} />
          <Route path="/projects/:projectId/webhooks" element={<WebhooksPage />} />
          <Route path="/tokens" element={<TokensPage />} />
          <Route path="*" element={<p>No such page. <Link to="/">Projects</Link></p>} />
        </Routes>
      </main>
    </>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}
