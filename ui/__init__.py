"""Streamlit glue shared by the pages: cached resources and session state. No tensor math here."""
