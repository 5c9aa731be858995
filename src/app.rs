//! The root component: the router and the page shell. UI layer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::routes::trace::TracePage;
use crate::source::{OpenedTraces, Prices};

/// Views live in the query string (`?trace=demo&step=s12`) rather than the path, so
/// any plain static server can serve a deep link after a reload, under any sub-path.
#[component]
pub fn App() -> impl IntoView {
    let pathname = window().location().pathname().unwrap_or_default();
    provide_context(OpenedTraces(RwSignal::new(Default::default())));
    provide_context(Prices::new());
    view! {
        <Router base=router_base(&pathname)>
            <Routes fallback=|| view! { <p class="notice">"Nothing here. Open Stepwise's main page."</p> }>
                <Route path=path!("/") view=TracePage />
                <Route path=path!("/index.html") view=TracePage />
            </Routes>
        </Router>
    }
}

/// The directory the app is served from: "/tools/stepwise/index.html" → "/tools/stepwise".
pub fn router_base(pathname: &str) -> String {
    let directory = match pathname.rfind('/') {
        Some(index) => &pathname[..index],
        None => "",
    };
    directory.to_string()
}

#[cfg(test)]
mod tests {
    use super::router_base;

    #[test]
    fn base_is_the_serving_directory() {
        assert_eq!(router_base("/"), "");
        assert_eq!(router_base("/index.html"), "");
        assert_eq!(router_base("/tools/stepwise/"), "/tools/stepwise");
        assert_eq!(router_base("/tools/stepwise/index.html"), "/tools/stepwise");
    }
}
