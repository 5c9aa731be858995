//! Draws a minimap plan on its canvas: density columns by kind, the veil outside the window, the window's frame and the error ticks. Component layer: uses components, state, I/O and the core.

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::axis::FONT_FAMILY;
use super::paint::{context_for, fill};
use stepwise_core::timeline::colours::{chrome, minimap_veil_alpha, Theme};
use stepwise_core::timeline::minimap::MinimapPlan;
use stepwise_core::timeline::plan::Frame;

/// Density columns, the veil outside the window, the window's edge, then the error ticks
/// last so that no veil dulls them.
pub fn paint(canvas: &HtmlCanvasElement, plan: &MinimapPlan, frame: &Frame, theme: Theme) {
    let Some(context) = context_for(canvas, frame) else {
        return;
    };
    let colours = chrome(theme);
    fill(
        &context,
        colours.background,
        0.0,
        0.0,
        frame.width_px,
        frame.height_px,
    );
    fill(
        &context,
        colours.grid,
        frame.gutter_px - 1.0,
        0.0,
        1.0,
        frame.height_px,
    );
    context.set_font(&format!("11px {FONT_FAMILY}"));
    context.set_text_baseline("middle");
    context.set_fill_style_str(&colours.muted.css());
    let _ = context.fill_text_with_max_width(
        "Overview",
        10.0,
        frame.height_px / 2.0,
        (frame.gutter_px - 16.0).max(1.0),
    );
    for (swatch, rects) in &plan.columns {
        context.set_fill_style_str(&swatch.colours(theme).0.css());
        fill_rects(&context, rects.iter().map(|r| (r.x, r.y, r.w, r.h)));
    }
    context.set_global_alpha(minimap_veil_alpha(theme));
    context.set_fill_style_str(&colours.background.css());
    fill_rects(&context, plan.outside.iter().map(|r| (r.x, r.y, r.w, r.h)));
    context.set_global_alpha(0.12);
    let window = plan.window;
    fill(
        &context,
        colours.accent,
        window.x,
        0.0,
        window.w,
        frame.height_px,
    );
    context.set_global_alpha(1.0);
    context.set_stroke_style_str(&colours.accent.css());
    context.set_line_width(1.5);
    context.stroke_rect(
        window.x + 0.75,
        0.75,
        (window.w - 1.5).max(0.5),
        frame.height_px - 1.5,
    );
    context.set_fill_style_str(&colours.error_fill.css());
    fill_rects(
        &context,
        plan.error_xs_px
            .iter()
            .map(|x| (x - 1.0, 0.0, 2.0, frame.height_px)),
    );
}

/// One path and one fill for many rectangles of the current style.
fn fill_rects(
    context: &CanvasRenderingContext2d,
    rects: impl Iterator<Item = (f64, f64, f64, f64)>,
) {
    context.begin_path();
    for (x, y, w, h) in rects {
        context.rect(x, y, w, h);
    }
    context.fill();
}
