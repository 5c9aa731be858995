//! Mounts the app; everything else lives in the library. The importers are not here: they
//! live in the importer module (`crates/stepwise-import`), which runs in a worker.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(stepwise::app::App);
}
