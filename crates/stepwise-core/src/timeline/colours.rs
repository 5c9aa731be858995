//! The timeline's colours: the legend's swatches per step kind, the chrome around the bars, and the overlay colours, in light and dark. Pure core; depends on the layout for bar kinds.

use super::layout::{BarKind, Layout};
use crate::model::StepKind;

/// A colour as red, green and blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for `fillStyle`.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// One colour of the legend: step kinds that look alike share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Swatch {
    Llm,
    Tool,
    ToolResult,
    Reasoning,
    Agent,
    Task,
    Memory,
    Other,
}

impl Swatch {
    /// Legend order.
    pub const ALL: [Swatch; 8] = [
        Swatch::Llm,
        Swatch::Tool,
        Swatch::ToolResult,
        Swatch::Reasoning,
        Swatch::Agent,
        Swatch::Task,
        Swatch::Memory,
        Swatch::Other,
    ];

    pub fn of(kind: BarKind) -> Swatch {
        match kind {
            BarKind::Task | BarKind::Step(StepKind::Task) => Swatch::Task,
            // An embedding call is a model call too, billed by tokens.
            BarKind::Step(StepKind::LlmCall | StepKind::Embedding) => Swatch::Llm,
            BarKind::Step(StepKind::ToolCall) => Swatch::Tool,
            BarKind::Step(StepKind::ToolResult) => Swatch::ToolResult,
            // Planning is the agent thinking ahead.
            BarKind::Step(StepKind::Reasoning | StepKind::Plan) => Swatch::Reasoning,
            BarKind::Step(StepKind::Agent) => Swatch::Agent,
            // Looking things up: memory, knowledge, retrieval and its reranking.
            BarKind::Step(
                StepKind::Memory | StepKind::Knowledge | StepKind::Retrieval | StepKind::Reranker,
            ) => Swatch::Memory,
            BarKind::Step(
                StepKind::Error
                | StepKind::Span
                | StepKind::Guardrail
                | StepKind::Evaluator
                | StepKind::Prompt
                | StepKind::Decision
                | StepKind::Other,
            ) => Swatch::Other,
        }
    }

    /// Position in `Swatch::ALL`.
    pub fn index(self) -> usize {
        Swatch::ALL
            .iter()
            .position(|swatch| *swatch == self)
            .unwrap_or(0)
    }

    pub fn label(self) -> &'static str {
        match self {
            Swatch::Llm => "LLM call",
            Swatch::Tool => "tool call",
            Swatch::ToolResult => "tool result",
            Swatch::Reasoning => "reasoning",
            Swatch::Agent => "agent",
            Swatch::Task => "task",
            Swatch::Memory => "memory / knowledge",
            Swatch::Other => "other",
        }
    }

    /// Stable CSS class suffix, for the HTML legend.
    pub fn key(self) -> &'static str {
        match self {
            Swatch::Llm => "llm",
            Swatch::Tool => "tool",
            Swatch::ToolResult => "tool-result",
            Swatch::Reasoning => "reasoning",
            Swatch::Agent => "agent",
            Swatch::Task => "task",
            Swatch::Memory => "memory",
            Swatch::Other => "other",
        }
    }

    /// Fill and the text colour readable on it. Dark fills are a little deeper so they
    /// do not glare on a dark page.
    pub fn colours(self, theme: Theme) -> (Rgb, Rgb) {
        const WHITE: Rgb = Rgb(255, 255, 255);
        const INK: Rgb = Rgb(24, 28, 36);
        let dark = theme == Theme::Dark;
        match self {
            Swatch::Llm if dark => (Rgb(92, 116, 240), WHITE),
            Swatch::Llm => (Rgb(79, 107, 237), WHITE),
            Swatch::Tool if dark => (Rgb(20, 150, 138), WHITE),
            Swatch::Tool => (Rgb(15, 140, 128), WHITE),
            Swatch::ToolResult if dark => (Rgb(104, 196, 184), INK),
            Swatch::ToolResult => (Rgb(128, 208, 197), INK),
            Swatch::Reasoning if dark => (Rgb(214, 154, 50), INK),
            Swatch::Reasoning => (Rgb(236, 174, 62), INK),
            Swatch::Agent if dark => (Rgb(136, 106, 214), WHITE),
            Swatch::Agent => (Rgb(140, 106, 216), WHITE),
            Swatch::Task if dark => (Rgb(86, 100, 122), WHITE),
            Swatch::Task => (Rgb(84, 98, 120), WHITE),
            Swatch::Memory if dark => (Rgb(44, 148, 206), WHITE),
            Swatch::Memory => (Rgb(40, 150, 212), WHITE),
            Swatch::Other if dark => (Rgb(128, 138, 154), INK),
            Swatch::Other => (Rgb(172, 181, 194), INK),
        }
    }
}

/// Colours of everything around the bars, matching `style/main.css`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chrome {
    pub background: Rgb,
    pub row_shade: Rgb,
    pub grid: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub accent: Rgb,
    pub error_fill: Rgb,
    /// Darker than the fill on a light page, lighter on a dark one: always contrasts.
    pub error_outline: Rgb,
    pub error_text: Rgb,
}

pub fn chrome(theme: Theme) -> Chrome {
    match theme {
        Theme::Light => Chrome {
            background: Rgb(255, 255, 255),
            row_shade: Rgb(245, 247, 250),
            grid: Rgb(228, 232, 238),
            text: Rgb(29, 35, 48),
            muted: Rgb(93, 103, 120),
            accent: Rgb(53, 89, 224),
            error_fill: Rgb(220, 44, 52),
            error_outline: Rgb(122, 14, 20),
            error_text: Rgb(255, 255, 255),
        },
        Theme::Dark => Chrome {
            background: Rgb(26, 31, 39),
            row_shade: Rgb(32, 38, 48),
            grid: Rgb(44, 52, 64),
            text: Rgb(228, 232, 239),
            muted: Rgb(151, 161, 178),
            accent: Rgb(125, 155, 255),
            error_fill: Rgb(226, 62, 70),
            error_outline: Rgb(255, 178, 182),
            error_text: Rgb(255, 255, 255),
        },
    }
}

/// What a batch of rectangles is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fill {
    Kind(Swatch),
    Failed,
}

impl Fill {
    pub fn colours(self, theme: Theme) -> (Rgb, Rgb) {
        match self {
            Fill::Kind(swatch) => swatch.colours(theme),
            Fill::Failed => {
                let chrome = chrome(theme);
                (chrome.error_fill, chrome.error_text)
            }
        }
    }
}

/// The colour of the critical path's strips: apart from every kind colour, the error red
/// and the selection's accent, so the path reads as its own layer.
pub fn critical_path_colour(theme: Theme) -> Rgb {
    match theme {
        Theme::Light => Rgb(214, 36, 159),
        Theme::Dark => Rgb(255, 110, 199),
    }
}

/// The colour of the strips over the steps a search matches: the page's ink (near black,
/// near white in the dark), as every hue is taken by a step kind, the error red or the
/// critical path's magenta (a highlighter amber read as "reasoning").
pub fn search_match_colour(theme: Theme) -> Rgb {
    match theme {
        Theme::Light => Rgb(17, 24, 39),
        Theme::Dark => Rgb(243, 244, 246),
    }
}

/// How much the minimap veils the run outside the window: the page's background laid
/// over it at this opacity. A dark page needs more, as its bright fills glare through.
pub fn minimap_veil_alpha(theme: Theme) -> f64 {
    match theme {
        Theme::Light => 0.6,
        Theme::Dark => 0.66,
    }
}

/// What the legend lists: the colours this trace uses, and whether it has failed or
/// running bars.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legend {
    pub swatches: Vec<Swatch>,
    pub failed: bool,
    pub running: bool,
}

pub fn legend(layout: &Layout) -> Legend {
    let mut used = [false; Swatch::ALL.len()];
    let mut out = Legend::default();
    for bar in &layout.bars {
        let swatch = Swatch::of(bar.kind);
        if let Some(index) = Swatch::ALL.iter().position(|s| *s == swatch) {
            used[index] = true;
        }
        out.failed |= bar.failed;
        out.running |= bar.running;
    }
    out.swatches = Swatch::ALL
        .iter()
        .zip(used)
        .filter_map(|(swatch, used)| used.then_some(*swatch))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;
    use crate::model::Trace;
    use crate::timeline::layout::layout;

    fn demo() -> Trace {
        let bytes = include_bytes!("../../../../public/demo/trace.json");
        import_bytes(bytes).expect("demo imports").remove(0)
    }

    #[test]
    fn every_step_kind_has_a_legend_colour_and_error_stands_apart() {
        for theme in [Theme::Light, Theme::Dark] {
            let fills: Vec<Rgb> = Swatch::ALL.iter().map(|s| s.colours(theme).0).collect();
            for (i, a) in fills.iter().enumerate() {
                assert!(!fills[i + 1..].contains(a), "{a:?} used twice");
                assert_ne!(*a, chrome(theme).error_fill);
            }
        }
        assert_eq!(
            Swatch::of(BarKind::Step(StepKind::Knowledge)),
            Swatch::Memory
        );
        assert_eq!(Swatch::of(BarKind::Task), Swatch::Task);
        assert_eq!(Rgb(1, 2, 255).css(), "#0102ff");
    }

    #[test]
    fn the_legend_lists_only_what_the_trace_uses() {
        let layout = layout(&demo());
        let legend = legend(&layout);
        assert_eq!(legend.swatches.first(), Some(&Swatch::Llm));
        assert!(
            !legend.swatches.contains(&Swatch::Memory),
            "the demo has no memory steps"
        );
        assert!(legend.failed && !legend.running);
    }

    #[test]
    fn overlays_stand_apart_from_the_accent_and_each_other() {
        for theme in [Theme::Light, Theme::Dark] {
            assert_ne!(critical_path_colour(theme), chrome(theme).accent);
            assert_ne!(search_match_colour(theme), critical_path_colour(theme));
            assert_ne!(search_match_colour(theme), chrome(theme).accent);
        }
    }
}
