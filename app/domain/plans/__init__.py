"""Reading a province's yearly plan: its deadline phrases into rule drafts, its rows into a
draft profile. Pure Python, like the rest of the domain."""
