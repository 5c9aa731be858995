//! The import worker's wasm: reads a `Blob` the page hands over (a picked or dropped file
//! as it is, or fetched bytes), decompresses it if it is gzip, refuses what a browser
//! cannot hold, imports it and estimates costs, and answers in the transfer form the page
//! decodes. `public/import-worker.js` loads it and does the messaging.

#[cfg(target_arch = "wasm32")]
mod worker;

fn main() {
    #[cfg(target_arch = "wasm32")]
    console_error_panic_hook::set_once();
}
