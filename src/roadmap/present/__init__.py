"""Presentation: typed documents built once (``documents``, ``report_view``) and the
formatters that read them (``terminal``, ``text``, ``report``, ``exports``), with the
building blocks they share (``escape``, ``sandbox``, ``output``)."""
