"""The fine-tuning lab (book ch. 4, §4.5.1): PEFT methods, training with live curves, adapters.

Import parameter and result classes from ``params`` (torch-free); the other modules import
torch and peft.
"""
