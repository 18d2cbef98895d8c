from .io import ErrorePratica, Problema, dumps, dumps_json, dumps_yaml, json_schema, load_pratica, parse_data, parse_text, save_pratica, to_data
from .pratica import FORMATO, Pratica

__all__ = ["FORMATO", "Pratica", "ErrorePratica", "Problema", "dumps", "dumps_json", "dumps_yaml", "json_schema",
           "load_pratica", "parse_data", "parse_text", "save_pratica", "to_data"]
