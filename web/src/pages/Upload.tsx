/**
 * Upload panel: drag-and-drop or file picker (many files, a folder, or a .zip), XHR upload with a real
 * progress bar, then the import result (new studies and skipped files with reasons).
 */
import { type DragEvent, useRef, useState } from "react";
import { type UploadHandle, uploadFiles } from "../api.js";
import type { ImportResult, Subject } from "../types.js";
import { ErrorBanner, fmtBytes, Link, ProgressBar } from "../ui.js";

type State =
  | { phase: "idle" }
  | { phase: "sending"; sent: number; total: number }
  | { phase: "processing" }
  | { phase: "done"; result: ImportResult };

export function UploadPanel(props: { projectId: string; subjects: readonly Subject[]; onDone: () => void }) {
  const [state, setState] = useState<State>({ phase: "idle" });
  const [error, setError] = useState<unknown>(null);
  const [over, setOver] = useState(false);
  const [subjectId, setSubjectId] = useState("");
  const handle = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const start = async (files: File[]) => {
    if (files.length === 0) return;
    setError(null);
    const total = files.reduce((s, f) => s + f.size, 0);
    setState({ phase: "sending", sent: 0, total });
    const h = uploadFiles(props.projectId, files, {
      ...(subjectId ? { subjectId } : {}),
      onProgress: (sent, t) => setState({ phase: "sending", sent, total: t || total }),
      onProcessing: () => setState({ phase: "processing" }),
    });
    handle.current = h;
    try {
      const result = await h.promise;
      setState({ phase: "done", result });
      props.onDone();
    } catch (err) {
      setError(err);
      setState({ phase: "idle" });
    } finally {
      handle.current = null;
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void start(Array.from(e.dataTransfer.files));
  };
  const busy = state.phase === "sending" || state.phase === "processing";

  return (
    <section className="card upload">
      <h2>Upload a study</h2>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: drop target; the file picker button is the keyboard path */}
      <div
        className={over ? "dropzone over" : "dropzone"}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="upload-dropzone"
      >
        <p>
          Drop DICOM files, NIfTI (.nii/.nii.gz + .json), Inveon (.img + .img.hdr), Interfile or a .zip here,
          or{" "}
          <button type="button" className="linklike" onClick={() => input.current?.click()} disabled={busy}>
            choose files
          </button>
          .
        </p>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = "";
            void start(files);
          }}
        />
        <label className="inline">
          Attach to subject{" "}
          <select value={subjectId} onChange={(e) => setSubjectId(e.target.value)} disabled={busy}>
            <option value="">(from the file headers / none)</option>
            {props.subjects.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.phase === "sending" ? (
        <div className="row">
          <ProgressBar
            fraction={state.total > 0 ? state.sent / state.total : null}
            label={`${fmtBytes(state.sent)} of ${fmtBytes(state.total)}`}
            testId="upload-progress"
          />
          <button type="button" onClick={() => handle.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : null}
      {state.phase === "processing" ? (
        <ProgressBar fraction={null} label="Importing on the server (reading and checking every file)…" />
      ) : null}
      {state.phase === "done" ? <ImportSummary result={state.result} /> : null}
    </section>
  );
}

function ImportSummary(props: { result: ImportResult }) {
  const { studies, skipped } = props.result;
  return (
    <div className="import-result" data-testid="upload-result">
      <p>
        Imported {studies.length} {studies.length === 1 ? "study" : "studies"}
        {skipped.length > 0 ? `, skipped ${skipped.length} file(s)` : ""}.
      </p>
      <ul>
        {studies.map((s) => (
          <li key={s.id}>
            <Link href={`/studies/${s.id}`} testId="upload-study-link">
              {s.description || "(no description)"}
            </Link>{" "}
            — {s.series.map((x) => x.modality).join(" + ")}
          </li>
        ))}
      </ul>
      {skipped.length > 0 ? (
        <details open={skipped.length < 10}>
          <summary>Skipped files</summary>
          <ul className="skipped">
            {skipped.map((s) => (
              <li key={s.name}>
                <code>{s.name}</code>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
