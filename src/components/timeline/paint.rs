//! Executes a timeline `Plan` on the canvas: backgrounds and bars straight on the 2D context, batched by colour. Component layer: uses components, state, I/O and the core.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::axis::FONT_FAMILY;
use stepwise_core::timeline::colours::{
    chrome, critical_path_colour, search_match_colour, Chrome, Rgb, Theme,
};
use stepwise_core::timeline::plan::{Frame, OutlineKind, Plan, AXIS_PX};
use stepwise_core::timeline::text::BAR_FONT_PX;

/// Draws one frame. The backing store is the CSS size × `devicePixelRatio`, and the
/// context is scaled so the plan's CSS pixels land sharp on high-DPI screens.
pub fn paint(canvas: &HtmlCanvasElement, plan: &Plan, frame: &Frame, theme: Theme) -> Option<()> {
    let context = context_for(canvas, frame)?;
    let colours = chrome(theme);
    fill(
        &context,
        colours.background,
        0.0,
        0.0,
        frame.width_px,
        frame.height_px,
    );

    // Everything under the axis scrolls: clip it so nothing bleeds into the axis band.
    context.save();
    context.begin_path();
    context.rect(0.0, AXIS_PX, frame.width_px, frame.height_px - AXIS_PX);
    context.clip();
    paint_rows(&context, plan, frame, &colours);
    paint_bars(&context, plan, frame, theme, &colours);
    context.restore();

    fill(
        &context,
        colours.background,
        0.0,
        0.0,
        frame.width_px,
        AXIS_PX,
    );
    fill(
        &context,
        colours.grid,
        0.0,
        AXIS_PX - 1.0,
        frame.width_px,
        1.0,
    );
    fill(
        &context,
        colours.grid,
        frame.gutter_px - 1.0,
        0.0,
        1.0,
        frame.height_px,
    );
    super::axis::paint_text(canvas, plan, frame, &colours)
}

/// The canvas's 2D context, its backing store sized to the frame × `devicePixelRatio` and
/// scaled so that drawing is in CSS pixels.
pub fn context_for(canvas: &HtmlCanvasElement, frame: &Frame) -> Option<CanvasRenderingContext2d> {
    let ratio = web_sys::window()?.device_pixel_ratio().max(1.0);
    let backing = (
        (frame.width_px * ratio).round().max(1.0) as u32,
        (frame.height_px * ratio).round().max(1.0) as u32,
    );
    if (canvas.width(), canvas.height()) != backing {
        canvas.set_width(backing.0);
        canvas.set_height(backing.1);
    }
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)
        .ok()?;
    Some(context)
}

pub fn fill(context: &CanvasRenderingContext2d, colour: Rgb, x: f64, y: f64, w: f64, h: f64) {
    context.set_fill_style_str(&colour.css());
    context.fill_rect(x, y, w, h);
}

fn paint_rows(context: &CanvasRenderingContext2d, plan: &Plan, frame: &Frame, colours: &Chrome) {
    context.set_fill_style_str(&colours.row_shade.css());
    for row in plan.rows.iter().filter(|row| row.shaded) {
        context.fill_rect(0.0, row.top_px, frame.width_px, row.height_px);
    }
    context.set_fill_style_str(&colours.grid.css());
    for row in &plan.rows {
        context.fill_rect(0.0, row.top_px.round(), frame.width_px, 1.0);
    }
    for tick in &plan.ticks {
        context.fill_rect(tick.x_px.round(), AXIS_PX, 1.0, frame.height_px - AXIS_PX);
    }
    if let Some(band) = plan.selected_lane {
        context.set_global_alpha(0.14);
        fill(context, colours.accent, band.x, band.y, band.w, band.h);
        context.set_global_alpha(1.0);
    }
}

fn paint_bars(
    context: &CanvasRenderingContext2d,
    plan: &Plan,
    frame: &Frame,
    theme: Theme,
    colours: &Chrome,
) {
    // Bars never spill into the gutter, however far they start before the window.
    context.begin_path();
    context.rect(
        frame.gutter_px,
        AXIS_PX,
        frame.width_px - frame.gutter_px,
        frame.height_px,
    );
    context.clip();
    // One path and one fill per colour: setting the style per rectangle costs 1.5–2×.
    for batch in &plan.batches {
        context.set_global_alpha(batch.alpha);
        context.set_fill_style_str(&batch.fill.colours(theme).0.css());
        context.begin_path();
        for rect in &batch.rects {
            context.rect(rect.x, rect.y, rect.w, rect.h);
        }
        context.fill();
    }
    context.set_global_alpha(1.0);
    for kind in [
        OutlineKind::Failed,
        OutlineKind::Hovered,
        OutlineKind::Selected,
    ] {
        let (colour, width, grow) = match kind {
            OutlineKind::Failed => (colours.error_outline, 1.0, -0.5),
            OutlineKind::Hovered => (colours.text, 1.0, 0.5),
            OutlineKind::Selected => (colours.accent, 2.0, 1.5),
        };
        context.set_stroke_style_str(&colour.css());
        context.set_line_width(width);
        context.begin_path();
        for (_, rect) in plan.outlines.iter().filter(|(k, _)| *k == kind) {
            context.rect(
                rect.x - grow,
                rect.y - grow,
                (rect.w + 2.0 * grow).max(1.0),
                rect.h + 2.0 * grow,
            );
        }
        context.stroke();
    }
    for (strips, colour) in [
        (&plan.critical_path, critical_path_colour(theme)),
        (&plan.search_matches, search_match_colour(theme)),
    ] {
        if strips.is_empty() {
            continue;
        }
        context.set_fill_style_str(&colour.css());
        context.begin_path();
        for rect in strips {
            context.rect(rect.x, rect.y, rect.w, rect.h);
        }
        context.fill();
    }
    context.set_font(&format!("500 {BAR_FONT_PX}px {FONT_FAMILY}"));
    context.set_text_baseline("middle");
    context.set_text_align("start");
    let mut last_fill = None;
    for label in &plan.labels {
        if last_fill != Some(label.fill) {
            last_fill = Some(label.fill);
            context.set_fill_style_str(&label.fill.colours(theme).1.css());
        }
        // The width is estimated in the core; squeezing beats spilling out of the bar.
        let room_px = label.max_width_px;
        let _ =
            context.fill_text_with_max_width(&label.text, label.x_px, label.y_px + 0.5, room_px);
    }
}
