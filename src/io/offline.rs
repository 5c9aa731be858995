//! Working offline: the service worker that keeps the app, its updates, and whether the network is there. I/O layer: uses only other I/O modules and the core.
//!
//! The worker (scripts/service-worker.js, written into dist/sw.js by scripts/pwa.mjs) is
//! registered beside the page with the page's directory as its scope, so the app works
//! under any sub-path. A new build installs in the background and waits: the page is told,
//! shows its prompt, and only when the user agrees does the new worker take over, upon
//! which every page it controls reloads, so none runs half on one build and half on another.

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos_use_event_listener::use_event_listener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    RegistrationOptions, ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration,
    ServiceWorkerState,
};

use crate::io::address::beside_page;
use crate::io::js_error::describe;

const WORKER_SCRIPT: &str = "sw.js";
/// What the page posts to the waiting worker to make it take over (scripts/service-worker.js).
const SKIP_WAITING: &str = "skip-waiting";

/// Whether the browser believes it has a network connection. `false` is reliable; `true`
/// only means some network interface is up.
pub fn is_online() -> bool {
    web_sys::window()
        .map(|window| window.navigator().on_line())
        .unwrap_or(true)
}

/// Whether the browser has a network connection, following its `online` and `offline` events.
pub fn use_online() -> Signal<bool> {
    let online = RwSignal::new(is_online());
    let _ = use_event_listener(window(), leptos::ev::online, move |_| online.set(true));
    let _ = use_event_listener(window(), leptos::ev::offline, move |_| online.set(false));
    online.into()
}

/// The page's service worker container, where the browser offers one: not on `file://`,
/// nor on plain http from another host than this machine (not a secure context).
fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    let protocol = window.location().protocol().ok()?;
    if protocol != "http:" && protocol != "https:" {
        return None;
    }
    let navigator = window.navigator();
    let present = Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .is_ok_and(|value| !value.is_undefined() && !value.is_null());
    present.then(|| navigator.service_worker())
}

/// Registers the app's service worker and calls `on_update_ready` whenever a new build is
/// installed and waiting while an older one controls this page. A first install announces
/// nothing: the page goes on as it was loaded, and the next visit is served by the worker.
/// Development builds (`trunk serve`) register nothing: a cache-first worker would keep
/// serving the build from before the last edit.
pub async fn register(on_update_ready: impl Fn() + Clone + 'static) -> Result<(), String> {
    if cfg!(debug_assertions) {
        return Ok(());
    }
    let Some(container) = container() else {
        return Ok(());
    };
    let updating = container.controller().is_some();
    let options = RegistrationOptions::new();
    options.set_scope(&beside_page("./").map_err(|error| describe(&error))?);
    let script = beside_page(WORKER_SCRIPT).map_err(|error| describe(&error))?;
    let registration: ServiceWorkerRegistration =
        JsFuture::from(container.register_with_options(&script, &options))
            .await
            .map_err(|error| describe(&error))?
            .dyn_into()
            .map_err(|_| "the browser returned no registration".to_string())?;
    if !updating {
        return Ok(());
    }
    // The new worker took over (the user agreed here or in another tab): this page's files
    // belong to the old build, so it reloads on the new one. Kept for the page's lifetime.
    let reload = Closure::<dyn FnMut()>::new(|| {
        let _ = window().location().reload();
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    if registration.waiting().is_some() {
        on_update_ready();
    }
    let found = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        if let Some(installing) = found.installing() {
            announce_when_installed(installing, on_update_ready.clone());
        }
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    Ok(())
}

/// Calls `on_update_ready` once `worker` has installed (it then waits for the page's word).
fn announce_when_installed(worker: ServiceWorker, on_update_ready: impl Fn() + 'static) {
    let watched = worker.clone();
    // One small closure per new build, for the page's lifetime.
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if watched.state() == ServiceWorkerState::Installed {
            on_update_ready();
        }
    });
    worker.set_onstatechange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
}

/// Tells the waiting worker to take over; the page then reloads (see `register`).
pub async fn apply_update() -> Result<(), String> {
    let container = container().ok_or("this page has no service worker")?;
    let registration: ServiceWorkerRegistration = JsFuture::from(container.get_registration())
        .await
        .map_err(|error| describe(&error))?
        .dyn_into()
        .map_err(|_| "the service worker is no longer registered".to_string())?;
    let waiting = registration
        .waiting()
        .ok_or("no new version is waiting any more")?;
    let message = Object::new();
    Reflect::set(&message, &"type".into(), &SKIP_WAITING.into())
        .map_err(|error| describe(&error))?;
    waiting
        .post_message(&message)
        .map_err(|error| describe(&error))
}
