#!/usr/bin/env python3
"""Writes the built-in demo trace, public/demo/trace.json: a made-up run of a pricing
crew (4 agents, 5 tasks, two pairs in parallel, a retried tool, a failed task), written
by the Stepwise project in Stepwise's own format. Run: python3 scripts/gen-demo.py
"""
import pathlib
import json, datetime
T0 = datetime.datetime(2026, 11, 2, 9, 14, 3, 120000, tzinfo=datetime.timezone.utc)
def t(sec):
    d = T0 + datetime.timedelta(seconds=sec)
    return d.strftime('%Y-%m-%dT%H:%M:%S.') + f"{d.microsecond:06d}Z"
PRICES = {"gpt-4o-2024-08-06": (2.5e-6, 10e-6, 1.25e-6), "claude-3-5-sonnet-20241022": (3e-6, 15e-6, 0.3e-6), "gpt-4o-mini": (0.15e-6, 0.6e-6, 0.075e-6)}
steps = []
n = [0]
def step(kind, name, start, end, task, agent, parent=None, **kw):
    n[0] += 1
    sid = f"s{n[0]:02d}"
    s = {"id": sid, "parent_id": parent, "task_id": task, "agent_id": agent, "kind": kind, "name": name,
         "start_time": t(start), "end_time": t(end)}
    if parent is None: del s["parent_id"]
    s.update({k: v for k, v in kw.items() if v is not None})
    # The writer's gpt-4o-mini calls go through a proxy that reports no cost, so
    # Stepwise estimates theirs from model prices.
    if kind == "llm_call" and s["model"] != "gpt-4o-mini":
        u = s["usage"]; pi, po, pc = PRICES[s["model"]]
        cached = u.get("cached_input_tokens", 0)
        s["cost_usd"] = round((u["input_tokens"] - cached) * pi + cached * pc + u["output_tokens"] * po, 6)
    steps.append(s)
    return sid

def llm(name, start, end, task, agent, parent, model, system, user, response, tin, tout, cached=0, prior=None):
    msgs = [{"role": "system", "content": system}] + (prior or []) + [{"role": "user", "content": user}]
    return step("llm_call", name, start, end, task, agent, parent, model=model,
                usage={"input_tokens": tin, "output_tokens": tout, "cached_input_tokens": cached},
                input={"messages": msgs, "temperature": 0.2},
                output={"role": "assistant", "content": response}, attributes={"finish_reason": "stop"})

R, P, W, F = "agent-researcher", "agent-pricing", "agent-writer", "agent-factcheck"
RS = "You are Senior Market Researcher. You have spent a decade sizing developer-tool markets and you never cite a number without a source.\nYour goal: find the market facts behind a usage-based pricing tier."
# Task 1: research market (0 - 37.9)
a1 = step("agent", "Senior Market Researcher", 0.05, 37.9, "task-research", R)
step("reasoning", "Plan the research", 0.1, 3.4, "task-research", R, a1,
     output="1. Find how many teams run CI at scale (the buyers of usage-based plans).\n2. Look up what Vercel, Netlify and CircleCI charge per unit.\n3. Note churn signals in public developer surveys.\nI will search first, then read the two best sources.")
llm("gpt-4o · choose search", 3.5, 6.9, "task-research", R, a1, "gpt-4o-2024-08-06", RS,
    "Current Task: Research the market for usage-based pricing of CI/CD developer tools in 2026.\nThis is the expected criteria for your final answer: a bullet list of facts with sources.",
    "Thought: I should search for recent pricing-model data first.\nAction: web_search\nAction Input: {\"query\": \"usage-based pricing developer tools 2026 survey\"}", 1184, 61)
tc = step("tool_call", "web_search", 7.0, 12.0, "task-research", R, a1, input={"query": "usage-based pricing developer tools 2026 survey", "max_results": 5},
          status="failed", error={"type": "ToolTimeoutError", "message": "web_search did not answer within 5.0 s (attempt 1 of 3)"},
          attributes={"tool_class": "SerperDevTool", "run_attempts": 1})
tc2 = step("tool_call", "web_search", 12.3, 14.1, "task-research", R, a1, input={"query": "usage-based pricing developer tools 2026 survey", "max_results": 5},
           attributes={"tool_class": "SerperDevTool", "run_attempts": 2, "retry_of": tc})
step("tool_result", "web_search result", 14.1, 14.12, "task-research", R, a1, result_of=tc2,
     output=[{"title": "State of Developer Tool Pricing 2026", "url": "https://example.org/devtools-pricing-2026", "snippet": "61% of teams under 200 engineers prefer paying per build minute over per seat..."},
             {"title": "Why seat pricing is losing in CI", "url": "https://example.com/blog/seat-vs-usage", "snippet": "Usage-based tiers convert 1.8x better for teams with bursty workloads."},
             {"title": "<script>alert('not rendered')</script>Hostile result title", "url": "https://example.net/x", "snippet": "Search results can carry HTML; Stepwise shows it as text."}])
llm("gpt-4o · read results", 14.3, 21.6, "task-research", R, a1, "gpt-4o-2024-08-06", RS,
    "Observation: 3 results. Decide what to read next.",
    "Thought: The first result has the survey data. I will scrape it for the exact figures.\nAction: scrape_website\nAction Input: {\"url\": \"https://example.org/devtools-pricing-2026\"}", 2210, 74, cached=1024)
tc3 = step("tool_call", "scrape_website", 21.7, 27.4, "task-research", R, a1, input={"url": "https://example.org/devtools-pricing-2026"}, attributes={"tool_class": "ScrapeWebsiteTool", "run_attempts": 1})
step("tool_result", "scrape_website result", 27.4, 27.42, "task-research", R, a1, result_of=tc3,
     output="State of Developer Tool Pricing 2026\n\n- 61% of teams under 200 engineers prefer per-build-minute pricing.\n- Median spend on CI: $412 per month for teams of 20-50 engineers.\n- 27% of respondents churned from a tool in 2025 after a surprise overage bill.\n- Top ask: a hard spending cap (72%).")
llm("gpt-4o · final answer", 27.6, 37.8, "task-research", R, a1, "gpt-4o-2024-08-06", RS,
    "Observation: the page text. Give your final answer.",
    "Final Answer:\n- 61% of small teams prefer per-build-minute pricing (State of Developer Tool Pricing 2026).\n- Median CI spend is $412/month for 20-50 engineers.\n- 27% churned after a surprise overage bill; 72% want a hard cap.\n- Usage tiers convert 1.8x better for bursty workloads.", 3905, 212, cached=2048)

# Task 2 (parallel): competitor pricing 38.2 - 79.1 ; Task 3 (parallel): demand 38.3 - 66.0
PS = "You are Pricing Analyst. You turn market facts into price points and you show your arithmetic."
a2 = step("agent", "Pricing Analyst", 38.25, 79.0, "task-competitors", P)
step("reasoning", "Plan the comparison", 38.3, 41.0, "task-competitors", P, a2,
     output="Compare unit prices of three competitors, normalise them to $ per 1,000 build minutes, then place our tier 10-15% below the median.")
llm("claude · list competitors", 41.1, 49.8, "task-competitors", P, a2, "claude-3-5-sonnet-20241022", PS,
    "Current Task: Compare competitor usage-based pricing. Context: " + "61% of small teams prefer per-build-minute pricing...",
    "Action: pricing_lookup\nAction Input: {\"vendors\": [\"CircleCI\", \"Buildkite\", \"GitHub Actions\"]}", 2630, 118)
tc4 = step("tool_call", "pricing_lookup", 49.9, 58.3, "task-competitors", P, a2, input={"vendors": ["CircleCI", "Buildkite", "GitHub Actions"], "unit": "build_minute"}, attributes={"tool_class": "PricingLookupTool", "run_attempts": 1})
step("tool_result", "pricing_lookup result", 58.3, 58.31, "task-competitors", P, a2, result_of=tc4,
     output={"CircleCI": {"usd_per_1000_min": 6.0}, "Buildkite": {"usd_per_1000_min": 8.5}, "GitHub Actions": {"usd_per_1000_min": 8.0}})
llm("claude · price point", 58.5, 78.9, "task-competitors", P, a2, "claude-3-5-sonnet-20241022", PS,
    "Observation: unit prices. Give your final answer.",
    "Final Answer: Median competitor price is $8.00 per 1,000 build minutes. Recommend $6.90 (13.75% below median), with a hard monthly cap and alerts at 80%.", 3410, 486)

a3 = step("agent", "Senior Market Researcher", 38.3, 66.0, "task-demand", R)
llm("gpt-4o · size demand", 38.4, 52.7, "task-demand", R, a3, "gpt-4o-2024-08-06", RS,
    "Current Task: Estimate demand for a usage-based tier among existing customers. Use the customer table.",
    "Thought: I need the customer counts by team size.\nAction: query_customers\nAction Input: {\"sql\": \"SELECT team_size_band, count(*) FROM customers GROUP BY 1\"}", 1560, 88, cached=1024)
tc5 = step("tool_call", "query_customers", 52.8, 55.1, "task-demand", R, a3, input={"sql": "SELECT team_size_band, count(*) FROM customers GROUP BY 1"}, attributes={"tool_class": "SQLTool", "run_attempts": 1})
step("tool_result", "query_customers result", 55.1, 55.11, "task-demand", R, a3, result_of=tc5,
     output=[{"team_size_band": "1-19", "count": 1840}, {"team_size_band": "20-50", "count": 712}, {"team_size_band": "51-200", "count": 305}, {"team_size_band": "200+", "count": 41}])
llm("gpt-4o · estimate", 55.3, 65.9, "task-demand", R, a3, "gpt-4o-2024-08-06", RS,
    "Observation: customer counts. Give your final answer.",
    "Final Answer: About 1,560 of 2,898 customers (54%) are likely to prefer the usage tier, weighted by the 61% preference of teams under 200 engineers.", 2020, 156, cached=1024)

# Task 4: verify sources (failed) 79.3 - 95.6 ; Task 5: write report 79.4 - 121.0 (parallel too)
FS = "You are Fact Checker. You confirm every figure against its source before it reaches a customer."
a4 = step("agent", "Fact Checker", 79.35, 95.6, "task-verify", F)
llm("gpt-4o-mini · pick sources", 79.4, 81.9, "task-verify", F, a4, "gpt-4o-mini", FS,
    "Current Task: Verify each cited figure by fetching its source.",
    "Action: fetch_url\nAction Input: {\"url\": \"https://example.com/blog/seat-vs-usage\"}", 1320, 41)
tc6 = step("tool_call", "fetch_url", 82.0, 87.0, "task-verify", F, a4, input={"url": "https://example.com/blog/seat-vs-usage"},
           status="failed", error={"type": "HTTPError", "message": "403 Forbidden from example.com (attempt 1 of 2)"}, attributes={"tool_class": "FetchTool", "run_attempts": 1})
tc7 = step("tool_call", "fetch_url", 87.3, 92.4, "task-verify", F, a4, input={"url": "https://example.com/blog/seat-vs-usage"},
           status="failed", error={"type": "HTTPError", "message": "403 Forbidden from example.com (attempt 2 of 2)"}, attributes={"tool_class": "FetchTool", "run_attempts": 2, "retry_of": tc6})
step("error", "ToolUsageError", 92.5, 95.5, "task-verify", F, a4,
     error={"type": "crewai.tools.ToolUsageError", "message": "Tool fetch_url failed 2 times; the figure \"1.8x better conversion\" could not be verified.",
            "stack": "Traceback (most recent call last):\n  File \"crewai/agents/crew_agent_executor.py\", line 241, in _invoke_loop\n    tool_result = self._execute_tool_and_check_finality(formatted_answer)\n  File \"crewai/tools/tool_usage.py\", line 188, in use\n    result = self._use(tool_string=tool_string, tool=tool, calling=calling)\n  File \"crewai/tools/tool_usage.py\", line 262, in _use\n    raise ToolUsageError(f\"Tool {tool.name} failed {attempts} times\")\ncrewai.tools.ToolUsageError: Tool fetch_url failed 2 times"})

WS = "You are Report Writer. You write crisp, skimmable reports for busy executives."
a5 = step("agent", "Report Writer", 79.45, 121.0, "task-report", W)
step("reasoning", "Outline the report", 79.5, 82.2, "task-report", W, a5,
     output="Sections: recommendation first, then the market facts, the price point with arithmetic, demand, and risks. Keep it under 300 words.")
llm("gpt-4o-mini · draft", 82.3, 103.9, "task-report", W, a5, "gpt-4o-mini", WS,
    "Current Task: Write the launch recommendation. Context from earlier tasks: market facts, competitor prices, demand estimate.",
    "(draft of the report, 412 words)", 4890, 702)
llm("gpt-4o-mini · tighten", 104.1, 120.9, "task-report", W, a5, "gpt-4o-mini", WS,
    "Tighten the draft to under 300 words and add a table.",
    "(final report; see the trace output)", 5760, 540, cached=4864)

FINAL = """# Launch a usage-based CI tier at $6.90 per 1,000 build minutes

**Recommendation:** launch the tier in Q1 with a *hard monthly cap* and alerts at 80% of it.

## Why
- 61% of teams under 200 engineers prefer paying per build minute.
- 27% of teams churned from a tool last year after a surprise overage bill; 72% ask for a cap.

## Price point
| Vendor | $ per 1,000 min |
|---|---|
| CircleCI | 6.00 |
| GitHub Actions | 8.00 |
| Buildkite | 8.50 |
| **Ours** | **6.90** |

The median is $8.00; $6.90 sits 13.75% below it.

## Demand
About **1,560 of 2,898** customers (54%) are likely to move to the tier.

## Risks
- The "1.8x better conversion" figure could **not** be verified (the source refused access).

```text
cap_usd = min(plan_cap_usd, 1.25 * trailing_3mo_avg_usd)
```
"""

tasks = [
    {"id": "task-research", "key": "research_market", "name": "Research the market", "agent_id": R, "status": "completed", "start_time": t(0.0), "end_time": t(37.95),
     "description": "Research the market for usage-based pricing of CI/CD developer tools in 2026.", "expected_output": "A bullet list of facts, each with its source.",
     "output": "- 61% of small teams prefer per-build-minute pricing (State of Developer Tool Pricing 2026).\n- Median CI spend is $412/month for 20-50 engineers.\n- 27% churned after a surprise overage bill; 72% want a hard cap.\n- Usage tiers convert 1.8x better for bursty workloads."},
    {"id": "task-competitors", "key": "compare_competitor_pricing", "name": "Compare competitor pricing", "agent_id": P, "status": "completed", "start_time": t(38.2), "end_time": t(79.1),
     "description": "Compare competitors' usage-based prices and propose ours.", "expected_output": "A price per 1,000 build minutes with the arithmetic behind it.",
     "context": ["task-research"], "input": "Context: the market facts from 'Research the market'.",
     "output": "Median competitor price is $8.00 per 1,000 build minutes. Recommend $6.90 (13.75% below median), with a hard monthly cap and alerts at 80%."},
    {"id": "task-demand", "key": "estimate_demand", "name": "Estimate demand", "agent_id": R, "status": "completed", "start_time": t(38.25), "end_time": t(66.05),
     "description": "Estimate how many existing customers would choose a usage-based tier.", "expected_output": "A customer count and share, with the method.",
     "context": ["task-research"], "input": "Context: the market facts from 'Research the market'.",
     "output": "About 1,560 of 2,898 customers (54%) are likely to prefer the usage tier."},
    {"id": "task-verify", "key": "verify_sources", "name": "Verify sources", "agent_id": F, "status": "failed", "start_time": t(79.3), "end_time": t(95.6),
     "description": "Fetch every cited source and confirm each figure.", "expected_output": "Each figure marked verified or not, with the quote that supports it.",
     "context": ["task-research"]},
    {"id": "task-report", "key": "write_report", "name": "Write the launch report", "agent_id": W, "status": "completed", "start_time": t(79.4), "end_time": t(121.05),
     "description": "Write a one-page launch recommendation for the leadership team.", "expected_output": "A markdown report under 300 words with a recommendation, a price table and risks.",
     "context": ["task-research", "task-competitors", "task-demand"], "input": "Context: outputs of the three earlier tasks.", "output": FINAL},
]
agents = [
    {"id": R, "role": "Senior Market Researcher", "goal": "Find the market facts behind a usage-based pricing tier", "backstory": "A decade of sizing developer-tool markets; never cites a number without a source."},
    {"id": P, "role": "Pricing Analyst", "goal": "Turn market facts into a defensible price point", "backstory": "Former pricing lead at a cloud provider."},
    {"id": F, "role": "Fact Checker", "goal": "Confirm every figure against its source", "backstory": "Ex-newsroom researcher."},
    {"id": W, "role": "Report Writer", "goal": "Write crisp reports executives read to the end", "backstory": "Writes the quarterly board memo."},
]
doc = {"format": "stepwise-trace", "version": 1, "trace": {
    "id": "demo-pricing-crew-2026-11-02", "name": "Pricing strategy crew", "kind": "crew", "status": "completed",
    "start_time": t(0.0), "end_time": t(121.1),
    "input": {"topic": "Usage-based pricing tier for our CI product", "audience": "leadership team"},
    "output": FINAL,
    "metadata": {"framework": "crewai", "crewai_version": "1.6.0", "process": "sequential with async tasks", "written_by": "the Stepwise project, as a demo"},
    "agents": agents, "tasks": tasks, "steps": steps}}
TARGET = pathlib.Path(__file__).resolve().parent.parent / "public" / "demo" / "trace.json"
TARGET.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
print(f"{TARGET}: {len(steps)} steps, {len(tasks)} tasks")
