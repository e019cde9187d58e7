"""The Streamlit app's entry: ``streamlit run ui/app.py``.

It sets up the navigation (Chat, Documents, Topics, Trainer, Feedback, Evaluation), loads the
backends once per process (building the index first if it is missing or stale) and shows the
index status in the sidebar.  The pages in ui/views/ only render.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import state  # noqa: E402
from ui.render import esc  # noqa: E402


def index_status(backend: state.Backend) -> None:
    status = backend.status
    settings = backend.settings
    if status:
        built = str(status.get("built_at") or "unknown")[:10]
        st.sidebar.caption(f"Index: {status.get('clauses', 0)} clauses, built {esc(built)}")
    with st.sidebar.expander("Index", icon=":material/database:"):
        if not status:
            st.caption("Not loaded.")
            return
        lines = [
            f"**{status.get('clauses', 0)}** clauses from {status.get('instruments', 0)} instruments",
            f"Model: {esc(str(status.get('embedding_model') or '?'))}",
            f"Built: {esc(str(status.get('built_at') or 'unknown'))}",
            f"Where: {esc(str(status.get('chroma_url') or status.get('index_dir') or '?'))}",
        ]
        if status.get("stale"):
            lines.append("**Stale**: rebuild with `assistant ingest`")
        if settings is not None and settings.llm_model:
            lines.append(f"LLM: {esc(settings.llm_model)}")  # never the key
        st.caption("  \n".join(lines))


def main() -> None:
    st.set_page_config(page_title="UN drug-policy assistant", page_icon=":material/gavel:", layout="wide")
    # an unexpected error shows its type and message, never a traceback
    st.set_option("client.showErrorDetails", "type")
    st.set_option("client.toolbarMode", "viewer")
    pages = [
        st.Page(state.CHAT_PAGE, title="Chat", icon=":material/chat:", default=True),
        st.Page(state.DOCUMENTS_PAGE, title="Documents", icon=":material/menu_book:", url_path="documents"),
        st.Page(state.TOPICS_PAGE, title="Topics", icon=":material/topic:", url_path="topics"),
        st.Page(state.TRAINER_PAGE, title="Trainer", icon=":material/school:", url_path="trainer"),
        st.Page(state.FEEDBACK_PAGE, title="Feedback", icon=":material/thumbs_up_down:", url_path="feedback"),
        st.Page(
            "views/evaluation.py", title="Evaluation", icon=":material/analytics:", url_path="evaluation"
        ),
    ]
    page = st.navigation(pages)
    backend = state.load_backend()
    if backend.error and backend.view is not None and page.title != "Chat":
        st.warning(f"Answers are not available: {esc(backend.error)}", icon=":material/warning:")
    index_status(backend)
    page.run()


main()
