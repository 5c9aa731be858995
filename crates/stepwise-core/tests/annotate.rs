//! Annotations and saved views: validation, lookups, merging, and the JSON shape of a target.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use stepwise_core::annotate::{
    apply_view, clean_text, next_id, validate, view_part, Annotation, AnnotationTarget, NoteError,
    Notes, SavedView,
};
use stepwise_core::view_query::{Selection, TraceTab, ViewQuery};

fn on_step(id: &str, step_id: &str, label: &str) -> Annotation {
    Annotation {
        id: id.into(),
        target: AnnotationTarget::Step {
            step_id: step_id.into(),
        },
        label: label.into(),
        note: String::new(),
        created_at: String::new(),
    }
}

fn on_range(id: &str, start_ns: i64, end_ns: i64) -> Annotation {
    Annotation {
        id: id.into(),
        target: AnnotationTarget::Range { start_ns, end_ns },
        label: "range".into(),
        note: String::new(),
        created_at: String::new(),
    }
}

#[test]
fn a_target_is_written_as_its_fields_alone() {
    let step = serde_json::to_value(on_step("a1", "s1", "l")).expect("serialises");
    assert_eq!(step["target"], json!({"step_id": "s1"}));
    let range = serde_json::to_value(on_range("a2", 5, 9)).expect("serialises");
    assert_eq!(range["target"], json!({"start_ns": 5, "end_ns": 9}));
    let back: Annotation = serde_json::from_value(range).expect("reads");
    assert_eq!(
        back.target,
        AnnotationTarget::Range {
            start_ns: 5,
            end_ns: 9
        }
    );
}

#[test]
fn text_is_trimmed_and_held_to_its_limits() {
    assert_eq!(
        clean_text("  retry storm  ", "\n note \n"),
        Ok(("retry storm".to_string(), "note".to_string()))
    );
    assert_eq!(clean_text("   ", "x"), Err(NoteError::EmptyLabel));
    // Limits count characters, not bytes.
    assert!(clean_text(&"é".repeat(80), "").is_ok());
    assert_eq!(
        clean_text(&"é".repeat(81), ""),
        Err(NoteError::LabelTooLong { chars: 81 })
    );
    assert!(clean_text("l", &"n".repeat(2_000)).is_ok());
    assert_eq!(
        clean_text("l", &"n".repeat(2_001)),
        Err(NoteError::NoteTooLong { chars: 2_001 })
    );
    assert_eq!(
        validate(&on_range("a", 9, 5)),
        Err(NoteError::BackwardRange)
    );
    assert_eq!(validate(&on_range("a", 5, 5)), Ok(()));
}

#[test]
fn lookups_find_a_step_s_notes_and_the_ranges_in_a_window() {
    let notes = Notes {
        annotations: vec![
            on_step("a1", "s1", "first"),
            on_step("a2", "s2", "other"),
            on_step("a3", "s1", "second"),
            on_range("a4", 100, 200),
            on_range("a5", 300, 400),
        ],
        views: Vec::new(),
    };
    let labels: Vec<&str> = notes.for_step("s1").map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["first", "second"]);
    let ids =
        |start, end| -> Vec<String> { notes.ranges_in(start, end).map(|a| a.id.clone()).collect() };
    assert_eq!(ids(0, 99), Vec::<String>::new());
    assert_eq!(ids(0, 100), ["a4"], "touching counts");
    assert_eq!(ids(150, 350), ["a4", "a5"]);
    assert_eq!(ids(401, 500), Vec::<String>::new());
    let unknown: Vec<&str> = notes
        .unknown_steps(|id| id == "s1")
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(unknown, ["a2"]);
}

#[test]
fn edits_replace_by_id_and_this_browser_s_notes_win_a_merge() {
    let mut from_file = Notes::default();
    from_file.upsert(on_step("a1", "s1", "from the file"));
    from_file.upsert(on_step("a2", "s2", "only in the file"));
    from_file.save_view(SavedView {
        name: "v".into(),
        query: "?view=graph".into(),
    });
    let mut here = Notes::default();
    here.upsert(on_step("a1", "s1", "edited here"));
    here.upsert(on_step("a9", "s3", "new here"));
    here.save_view(SavedView {
        name: "v".into(),
        query: "?view=reader".into(),
    });
    let merged = from_file.merged_with(&here);
    let labels: Vec<&str> = merged
        .annotations
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    assert_eq!(labels, ["edited here", "only in the file", "new here"]);
    assert_eq!(merged.views.len(), 1);
    assert_eq!(merged.views[0].query, "?view=reader");
    let mut edited = merged.clone();
    edited.remove("a2");
    edited.remove_view("v");
    assert_eq!(edited.annotations.len(), 2);
    assert!(edited.views.is_empty());
    assert_eq!(next_id(&edited), "a3");
    assert_eq!(next_id(&Notes::default()), "a1");
    let mut crowded = Notes::default();
    crowded.upsert(on_step("a2", "s", "l"));
    assert_eq!(next_id(&crowded), "a3", "an id in use is skipped");
}

#[test]
fn notes_survive_json_and_damaged_json_is_no_notes() {
    let mut notes = Notes::default();
    notes.upsert(on_range("a1", 1, 2));
    assert_eq!(Notes::from_json(&notes.to_json()), notes);
    assert_eq!(Notes::from_json("{not json"), Notes::default());
    assert_eq!(Notes::from_json("{}"), Notes::default());
}

#[test]
fn a_saved_view_leaves_the_source_out_and_applies_to_the_page_s_source() {
    let page = ViewQuery::from_pairs([
        ("trace", "demo"),
        ("src", "https://x.test/t.json"),
        ("step", "s2"),
        ("view", "graph"),
        ("from", "10"),
        ("to", "250"),
        ("q", "kind:tool_call"),
    ]);
    let saved = view_part(&page);
    assert_eq!(
        saved,
        "?view=graph&step=s2&from=10&to=250&q=kind%3Atool_call"
    );
    let elsewhere = ViewQuery::from_pairs([("src", "https://y.test/u.json"), ("step", "s9")]);
    let applied = apply_view(&elsewhere, &saved);
    assert_eq!(applied.kept("src"), Some("https://y.test/u.json"));
    assert_eq!(applied.trace, None);
    assert_eq!(applied.selection, Some(Selection::Step("s2".into())));
    assert_eq!(applied.tab, TraceTab::Graph);
    assert_eq!(applied.window_ms, Some((10.0, 250.0)));
    assert_eq!(applied.search.as_deref(), Some("kind:tool_call"));
}

#[test]
fn the_timeline_shows_only_the_marks_in_view() {
    use stepwise_core::timeline::layout::layout;
    use stepwise_core::timeline::notes::{annotated_steps, note_marks, NoteShape};
    use stepwise_core::timeline::plan::Frame;
    use stepwise_core::timeline::scale::limit_ns;
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/demo/trace.json"
    ))
    .expect("demo");
    let trace = stepwise_core::import::import_bytes(&bytes)
        .expect("imports")
        .remove(0);
    let chart = layout(&trace);
    let timed = trace
        .steps
        .iter()
        .enumerate()
        .find(|(index, _)| chart.bar_of_step(*index).is_some())
        .map(|(_, step)| step.id.clone())
        .expect("a timed step");
    let (start_ns, end_ns) = limit_ns(&chart);
    let mut notes = Notes::default();
    notes.upsert(on_step("a1", &timed, "flag"));
    notes.upsert(on_step("a2", "not-a-step", "lost"));
    notes.upsert(on_range(
        "a3",
        start_ns,
        start_ns + (end_ns - start_ns) / 10,
    ));
    let steps = annotated_steps(&notes, &trace);
    assert_eq!(steps.len(), 1, "only the step the trace holds resolves");
    let frame = Frame::new(800.0, 400.0, 0.0);
    let marks = note_marks(&notes, &steps, &chart, &frame, (start_ns, end_ns));
    let ids: Vec<&str> = marks.iter().map(|mark| mark.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a3"]);
    match marks[1].shape {
        NoteShape::Band { x0_px, x1_px } => {
            assert_eq!(x0_px, frame.gutter_px);
            assert!(x1_px > x0_px && x1_px < frame.gutter_px + frame.plot_width_px());
        }
        NoteShape::Flag { .. } => panic!("a range is a band"),
    }
    assert!(matches!(marks[0].shape, NoteShape::Flag { y_px, .. } if y_px >= frame.top_px()));
    // Zoomed to the last tenth: the range is out of view.
    let late = (end_ns - (end_ns - start_ns) / 20, end_ns);
    let marks = note_marks(&notes, &steps, &chart, &frame, late);
    assert!(marks.iter().all(|mark| mark.id != "a3"));
}

#[test]
fn the_visible_range_follows_the_zoom_window_and_back() {
    use stepwise_core::annotate::{visible_range_ns, window_ms_of};
    let axis = (1_000_000_000, 3_000_000_000);
    assert_eq!(visible_range_ns(axis, None), axis);
    assert_eq!(
        visible_range_ns(axis, Some((100.0, 250.0))),
        (1_100_000_000, 1_250_000_000)
    );
    // A window past the axis is held to it.
    assert_eq!(
        visible_range_ns(axis, Some((1_500.0, 9_000.0))),
        (2_500_000_000, 3_000_000_000)
    );
    assert_eq!(visible_range_ns(axis, Some((5.0, 1.0))), axis);
    assert_eq!(
        window_ms_of(axis, (1_100_000_000, 1_250_000_000)),
        (100.0, 250.0)
    );
    let (from, to) = window_ms_of(axis, (1_100_000_000, 1_100_000_000));
    assert!(to > from, "an instant still gets a window");
}
