import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
application = get_wsgi_application()

# What Django loaded at start-up (models, URLs, translations …) lives as long as the worker:
# keep it out of the garbage collector's full passes (see similarity._jieba for the larger
# tokenizer dictionary, frozen when it is first built).
gc.freeze()
