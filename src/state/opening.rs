//! Opening dropped, picked or pasted files into the page's trace registry. State layer: uses state, I/O and the core.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::io::stream::{mark, yield_to_browser, Progress};
use crate::state::open::Opener;
use crate::state::source::TraceSource;
use crate::state::view::absolute;
use stepwise_core::intake::opened_summary;

/// Something to open as a trace: a file, or pasted text with a name.
pub enum OpenInput {
    File(web_sys::File),
    Text { name: String, text: String },
}

impl OpenInput {
    fn name(&self) -> String {
        match self {
            OpenInput::File(file) => file.name(),
            OpenInput::Text { name, .. } => name.clone(),
        }
    }
}

/// Opens one input: a file is handed to the import worker as it is, never read here.
async fn open_input(
    input: OpenInput,
    opener: Opener,
    progress: Progress,
) -> Result<Vec<String>, String> {
    match input {
        OpenInput::Text { name, text } => opener.open_bytes(&name, text.as_bytes(), progress).await,
        OpenInput::File(file) => {
            let name = file.name();
            opener.open_blob(&name, file.into(), progress).await
        }
    }
}

/// What the last opening of files did, for the status toast.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenReport {
    pub summary: Option<String>,
    pub problems: Vec<String>,
}

/// The state of opening files, shared by the drop zone, paste and the file picker.
#[derive(Clone, Copy)]
pub struct OpenActivity {
    pub progress: Progress,
    pub report: RwSignal<OpenReport>,
}

impl OpenActivity {
    pub fn new() -> OpenActivity {
        OpenActivity {
            progress: Progress::new(),
            report: RwSignal::new(OpenReport::default()),
        }
    }
}

impl Default for OpenActivity {
    fn default() -> OpenActivity {
        OpenActivity::new()
    }
}

/// Reads, decompresses and imports each input; returns the keys of the traces opened (first
/// file's first trace first) and a report. Every problem names its file.
async fn open_all(
    inputs: Vec<OpenInput>,
    activity: OpenActivity,
    opener: Opener,
) -> (Vec<String>, OpenReport) {
    let mut keys = Vec::new();
    let mut names = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if activity.progress.is_cancelled() {
            break;
        }
        let name = input.name();
        mark("stepwise:read-start");
        let result = open_input(input, opener, activity.progress).await;
        mark("stepwise:imported");
        match result {
            Ok(new_keys) => {
                names.push(name);
                keys.extend(new_keys);
            }
            Err(message) => problems.push(message),
        }
    }
    let summary = (!keys.is_empty()).then(|| opened_summary(keys.len(), &names));
    (keys, OpenReport { summary, problems })
}

/// A function that opens inputs and shows the first trace opened. Call it in a component
/// under the router; `OpenActivity` must be provided (the app does).
pub fn use_open_traces() -> impl Fn(Vec<OpenInput>) + Clone + 'static {
    use_open_traces_to(|key: &str| Some(TraceSource::File(key.to_string()).query_string()))
}

/// As `use_open_traces`, landing on the address `query_of` gives for the first file's key
/// (the compare page opens a file as its B), or staying where it is for `None`.
pub fn use_open_traces_to(
    query_of: impl Fn(&str) -> Option<String> + Clone + 'static,
) -> impl Fn(Vec<OpenInput>) + Clone + 'static {
    // Without the app's activity (a component mounted alone) files still open, unreported.
    let activity = use_context::<OpenActivity>().unwrap_or_default();
    let opener = Opener::from_context();
    let navigate = use_navigate();
    let location = use_location();
    move |inputs: Vec<OpenInput>| {
        if inputs.is_empty() {
            return;
        }
        activity.report.set(OpenReport::default());
        // A fresh start: a Cancel pressed during an earlier read must not stop this one.
        activity.progress.start("", None, None);
        activity.progress.finish();
        let navigate = navigate.clone();
        let pathname = location.pathname.get_untracked();
        let query_of = query_of.clone();
        spawn_local(async move {
            let (keys, report) = open_all(inputs, activity, opener).await;
            // A plain success fades after a while; problems stay until dismissed.
            if report.problems.is_empty() {
                let shown = report.clone();
                set_timeout(
                    move || {
                        if activity.report.get_untracked() == shown {
                            activity.report.set(OpenReport::default());
                        }
                    },
                    std::time::Duration::from_secs(8),
                );
            }
            activity.report.set(report);
            if let Some(query) = keys.first().and_then(|key| query_of(key)) {
                // Registering the trace and rendering its page each take a task of their
                // own, so neither adds to the other on a large trace. Without a way to
                // yield, the page is rendered at once.
                let _ = yield_to_browser().await;
                navigate(&absolute(&format!("{pathname}{query}")), Default::default());
            }
        });
    }
}
