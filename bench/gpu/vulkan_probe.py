"""Does a Vulkan driver (ICD) answer on this machine? The question behind onnxruntime-node's WebGPU provider, which
Dawn runs over Vulkan on Linux. Loads the Vulkan loader (libvulkan.so.1), creates an instance and lists the physical
devices with their driver; prints one JSON object. Standard library only (ctypes).

  python bench/gpu/vulkan_probe.py
"""
import ctypes
import glob
import json
import os


def main() -> None:
    out = {
        "icd_files": sorted(
            p for d in ("/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/nvidia/share/vulkan/icd.d")
            for p in glob.glob(f"{d}/*.json")
        ),
        "VK_DRIVER_FILES": os.environ.get("VK_DRIVER_FILES"),
    }
    try:
        vk = ctypes.CDLL("libvulkan.so.1")
    except OSError as error:
        out["loader"] = f"missing: {error}"
        print(json.dumps(out))
        return
    out["loader"] = "libvulkan.so.1"
    version = ctypes.c_uint32()
    vk.vkEnumerateInstanceVersion(ctypes.byref(version))
    out["instance_version"] = f"{version.value >> 22}.{(version.value >> 12) & 0x3FF}.{version.value & 0xFFF}"

    class CreateInfo(ctypes.Structure):  # VkInstanceCreateInfo, no layers or extensions
        _fields_ = [("sType", ctypes.c_int), ("pNext", ctypes.c_void_p), ("flags", ctypes.c_uint32),
                    ("pApplicationInfo", ctypes.c_void_p), ("enabledLayerCount", ctypes.c_uint32),
                    ("ppEnabledLayerNames", ctypes.c_void_p), ("enabledExtensionCount", ctypes.c_uint32),
                    ("ppEnabledExtensionNames", ctypes.c_void_p)]

    info = CreateInfo(1, None, 0, None, 0, None, 0, None)  # VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1
    instance = ctypes.c_void_p()
    result = vk.vkCreateInstance(ctypes.byref(info), None, ctypes.byref(instance))
    out["vkCreateInstance"] = result
    if result != 0:
        print(json.dumps(out))
        return
    count = ctypes.c_uint32()
    vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), None)
    devices = (ctypes.c_void_p * count.value)()
    vk.vkEnumeratePhysicalDevices(instance, ctypes.byref(count), devices)
    out["devices"] = []
    for device in devices:
        props = ctypes.create_string_buffer(1024)  # VkPhysicalDeviceProperties (824 bytes)
        vk.vkGetPhysicalDeviceProperties(ctypes.c_void_p(device), props)
        api, driver, vendor, device_id, kind = (int.from_bytes(props.raw[i:i + 4], "little") for i in range(0, 20, 4))
        name = props.raw[20:276].split(b"\0")[0].decode()
        out["devices"].append({"name": name, "api": f"{api >> 22}.{(api >> 12) & 0x3FF}.{api & 0xFFF}",
                               "vendor": hex(vendor), "type": kind, "driver_version": driver})
    vk.vkDestroyInstance(instance, None)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
