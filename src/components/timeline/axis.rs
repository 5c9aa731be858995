//! The timeline's text through plotters: tick labels along the axis and task names in the gutter. Component layer: uses components, state, I/O and the core.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use stepwise_core::timeline::colours::{Chrome, Rgb};
use stepwise_core::timeline::plan::{Frame, Plan, AXIS_PX};
use stepwise_core::timeline::text::{text_width_px, LABEL_FONT_PX, LABEL_LINE_PX};

/// The font of every text on the canvas, bars (paint.rs) and axis alike, as the page's CSS.
pub const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

fn rgb(colour: Rgb) -> RGBColor {
    RGBColor(colour.0, colour.1, colour.2)
}

/// Tick labels along the axis and task names in the gutter, through plotters.
pub fn paint_text(
    canvas: &HtmlCanvasElement,
    plan: &Plan,
    frame: &Frame,
    colours: &Chrome,
) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    let centred = Pos::new(HPos::Center, VPos::Center);
    let tick_font = (FONT_FAMILY, 11.0)
        .into_font()
        .color(&rgb(colours.muted))
        .pos(centred);
    let plot_right = frame.gutter_px + frame.plot_width_px();
    for tick in &plan.ticks {
        let x = tick.x_px.round() as i32;
        let mark = PathElement::new(
            vec![(x, AXIS_PX as i32 - 5), (x, AXIS_PX as i32)],
            rgb(colours.grid),
        );
        root.draw(&mark).ok()?;
        // The first label would straddle the gutter line; the last could be cut at the edge.
        let half_px = text_width_px(&tick.label, 11.0) / 2.0;
        let x_text =
            (tick.x_px.max(frame.gutter_px + half_px + 3.0)).min(plot_right + 12.0 - half_px);
        let at = (x_text.round() as i32, (AXIS_PX / 2.0 - 1.0) as i32);
        root.draw(&Text::new(tick.label.as_str(), at, tick_font.clone()))
            .ok()?;
    }
    let left = Pos::new(HPos::Left, VPos::Center);
    let corner = (FONT_FAMILY, 11.0)
        .into_font()
        .color(&rgb(colours.muted))
        .pos(left);
    root.draw(&Text::new(
        "Tasks",
        (10, (AXIS_PX / 2.0 - 1.0) as i32),
        corner,
    ))
    .ok()?;
    let line_px = LABEL_LINE_PX as i32;
    for row in plan
        .rows
        .iter()
        .filter(|row| row.label_y_px - 6.0 >= AXIS_PX)
    {
        let colour = if row.failed {
            colours.error_fill
        } else {
            colours.text
        };
        let font = (FONT_FAMILY, LABEL_FONT_PX, FontStyle::Bold)
            .into_font()
            .color(&rgb(colour))
            .pos(left);
        let mut y = row.label_y_px.round() as i32;
        for line in &row.label {
            root.draw(&Text::new(line.as_str(), (10, y), font.clone()))
                .ok()?;
            y += line_px;
        }
        if let Some(detail) = &row.detail {
            let font = (FONT_FAMILY, 11.0)
                .into_font()
                .color(&rgb(colours.muted))
                .pos(left);
            root.draw(&Text::new(detail.as_str(), (10, y), font)).ok()?;
        }
    }
    Some(())
}
