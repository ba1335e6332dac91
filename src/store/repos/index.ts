/** All repositories over one RepoContext (the root store or an open transaction). */
import type { Repositories } from "../types.js";
import { loginTokensRepo, sessionsRepo, usersRepo } from "./accounts.js";
import type { RepoContext } from "./context.js";
import { injectionsRepo, projectsRepo, subjectsRepo, tumourModelsRepo } from "./projects.js";
import { auditRepo, documentsRepo } from "./records.js";
import { resultsRepo, studiesRepo, voisRepo } from "./studies.js";

export function makeRepositories(c: RepoContext): Repositories {
  return {
    users: usersRepo(c),
    sessions: sessionsRepo(c),
    loginTokens: loginTokensRepo(c),
    projects: projectsRepo(c),
    tumourModels: tumourModelsRepo(c),
    subjects: subjectsRepo(c),
    injections: injectionsRepo(c),
    studies: studiesRepo(c),
    vois: voisRepo(c),
    results: resultsRepo(c),
    documents: documentsRepo(c),
    audit: auditRepo(c),
  };
}
