//! The agent graph drawn as SVG, panned by dragging and zoomed by the wheel or buttons; the layout never changes while you do. Component layer: uses components, state, I/O and the core.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::shapes::{EdgeShape, NodeShape};
use super::GraphContext;
use stepwise_core::graph::Viewport;

/// Room around the graph inside the drawing, for loops and labels at its edges.
const MARGIN: f64 = 48.0;
/// The drawing is never shrunk below this scale to fit its box: text would be too small
/// to read, so the box scrolls instead.
const MIN_FIT_SCALE: f64 = 0.7;
const ZOOM_STEP: f64 = 1.25;

#[component]
pub fn GraphCanvas() -> impl IntoView {
    let context = expect_context::<GraphContext>();
    let drawn = context.drawn.get_untracked();
    let Some(layout) = drawn.layout.clone() else {
        return ().into_any();
    };
    let view_box_width = layout.width + 2.0 * MARGIN;
    let view_box_height = layout.height + 2.0 * MARGIN;
    let view_box = format!(
        "{} {} {view_box_width:.0} {view_box_height:.0}",
        -MARGIN, -MARGIN
    );
    // The SVG keeps the graph's proportions, fills the width, and scrolls when that would
    // make the text too small.
    // **Fit** drops the minimum: the whole graph in the box, however small.
    let fitted = RwSignal::new(false);
    let style = move || {
        let ratio = format!("aspect-ratio: {view_box_width:.0} / {view_box_height:.0}");
        if fitted.get() {
            ratio
        } else {
            format!(
                "{ratio}; min-width: {:.0}px",
                view_box_width * MIN_FIT_SCALE
            )
        }
    };
    let viewport = RwSignal::new(Viewport::default());
    // Where a drag started (client px) and the viewport then.
    let dragging: StoredValue<Option<(f64, f64, Viewport)>> = StoredValue::new(None);
    // Drawing units per client pixel: the SVG fits its view box into its box ("meet").
    let units_per_px = move |element: &web_sys::Element| {
        let rect = element.get_bounding_client_rect();
        let per_x = view_box_width / rect.width().max(1.0);
        let per_y = view_box_height / rect.height().max(1.0);
        (per_x.max(per_y), rect)
    };
    let on_pointer_down = move |event: web_sys::PointerEvent| {
        // Nodes handle their own clicks; only the background drags.
        let on_node = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest(".graph-node").ok().flatten())
            .is_some();
        if on_node || event.button() != 0 {
            return;
        }
        dragging.set_value(Some((
            f64::from(event.client_x()),
            f64::from(event.client_y()),
            viewport.get_untracked(),
        )));
        if let Some(element) = event
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        {
            let _ = element.set_pointer_capture(event.pointer_id());
        }
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        let Some((x, y, start)) = dragging.get_value() else {
            return;
        };
        let Some(element) = event
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let (per_px, _) = units_per_px(&element);
        let dx = (f64::from(event.client_x()) - x) * per_px;
        let dy = (f64::from(event.client_y()) - y) * per_px;
        viewport.set(start.panned(dx, dy));
    };
    let on_pointer_up = move |_: web_sys::PointerEvent| dragging.set_value(None);
    let on_wheel = move |event: web_sys::WheelEvent| {
        let Some(element) = event
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        event.prevent_default();
        let (per_px, rect) = units_per_px(&element);
        let at = (
            (f64::from(event.client_x()) - rect.left()) * per_px - MARGIN,
            (f64::from(event.client_y()) - rect.top()) * per_px - MARGIN,
        );
        let factor = if event.delta_y() < 0.0 {
            ZOOM_STEP
        } else {
            1.0 / ZOOM_STEP
        };
        viewport.update(|view| *view = view.zoomed(factor, at));
    };
    reveal_selected(context);
    let centre = (layout.width / 2.0, layout.height / 2.0);
    let zoom = move |factor: f64| viewport.update(|view| *view = view.zoomed(factor, centre));
    let edges = drawn
        .graph
        .edges
        .iter()
        .zip(layout.routes.iter())
        .enumerate()
        .map(|(index, (edge, route))| {
            let from = layout.nodes[edge.from];
            view! { <EdgeShape index edge=*edge route=route.clone() from /> }
        })
        .collect_view();
    let nodes = (0..drawn.graph.nodes.len())
        .map(|index| view! { <NodeShape index at=layout.nodes[index] /> })
        .collect_view();
    view! {
        <div class="graph-canvas">
            <div class="graph-zoom" role="group" aria-label="Zoom">
                <button type="button" class="graph-button" aria-label="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
                <button type="button" class="graph-button" aria-label="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
                <button type="button" class="graph-button" title="Show the whole graph" on:click=move |_| {
                    viewport.set(Viewport::default());
                    fitted.set(true);
                }>"Fit"</button>
            </div>
            <div class="graph-scroll">
            <svg
                class="graph-svg"
                role="group"
                aria-label="Agent graph"
                viewBox=view_box
                style=style
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_up
                on:wheel=on_wheel
            >
                <defs>
                    <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow" />
                    </marker>
                </defs>
                <g transform=move || viewport.get().transform()>
                    <g class="graph-edges">{edges}</g>
                    <g class="graph-nodes">{nodes}</g>
                </g>
            </svg>
            </div>
        </div>
    }
    .into_any()
}

/// Scrolls the node holding the selected step into the graph's box when the selection
/// changes (a deep link, a click in the step list): it may be off to one side.
fn reveal_selected(context: GraphContext) {
    Effect::new(move |_| {
        if context.selected_step.get().is_none() {
            return;
        }
        // After the node's class has changed.
        request_animation_frame(|| {
            let Some(node) = document()
                .query_selector(".agent-graph .graph-node.selected")
                .ok()
                .flatten()
            else {
                return;
            };
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            options.set_inline(web_sys::ScrollLogicalPosition::Center);
            node.scroll_into_view_with_scroll_into_view_options(&options);
        });
    });
}
