"""The follow-up views with 1,000 reviews (about 200,000 notes and events).

From the key press on the home screen to the view ready (Pilot driver, 100×30):
- the open-actions view (`a`), against opening the home screen itself on the same data;
- the learning view (`L`);
- a search (`s`, a word, Enter) from the search box to the results on screen.
Prints medians with min–max over a few runs; the baseline is measured in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.home import HomeScreen
from review_assistant.tui.learning import LearningScreen
from review_assistant.tui.open_actions import OpenActionsScreen
from review_assistant.tui.search import SearchScreen

RUNS = 5
SIZE = (100, 30)


async def _time_key(data: Path, keys: list[str], ready: type) -> float:
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        began = time.perf_counter()
        for key in keys:
            await pilot.press(key)
        while not isinstance(app.screen, ready):
            await pilot.pause()
        await pilot.pause()
        return (time.perf_counter() - began) * 1000


async def _time_home(data: Path) -> float:
    began = time.perf_counter()
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return (time.perf_counter() - began) * 1000


def _show(name: str, values: list[float], baseline: float | None = None) -> None:
    median = statistics.median(values)
    ratio = f"; ratio {median / baseline:.2f}× the home screen" if baseline else ""
    print(f"{name}: median {median:.0f} ms (min {min(values):.0f}, max {max(values):.0f}){ratio}")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        began = time.perf_counter()
        with Store(data / "review.db") as store:
            generate(store, 1000)
        print(f"generated 1,000 reviews in {time.perf_counter() - began:.1f} s")
        home = [asyncio.run(_time_home(data)) for _ in range(RUNS)]
        _show("home screen, start to first frame (baseline)", home)
        base = statistics.median(home)
        actions = [asyncio.run(_time_key(data, ["a"], OpenActionsScreen)) for _ in range(RUNS)]
        _show("open-actions view, `a` to ready", actions, base)
        learning = [asyncio.run(_time_key(data, ["L"], LearningScreen)) for _ in range(RUNS)]
        _show("learning view, `L` to ready", learning, base)

        async def search() -> float:
            app = make_app(data)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.press("s")
                await pilot.pause()
                assert isinstance(app.screen, SearchScreen)
                await pilot.press(*"pool")
                began = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen.hits
                return (time.perf_counter() - began) * 1000

        found = [asyncio.run(search()) for _ in range(RUNS)]
        _show("search box, Enter to results on screen", found, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
